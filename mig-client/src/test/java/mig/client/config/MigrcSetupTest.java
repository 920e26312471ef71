package mig.client.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mig.common.pgp.KeyGen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The original's questions when ~/.migrc is missing, and the file they write. */
class MigrcSetupTest {
    @TempDir
    Path tmp;

    @Test
    void picksAKeyFromTheSecringChecksTheUrlAndWritesTheOriginalsFormat() throws Exception {
        KeyGen.Generated alice = KeyGen.rsa("Alice <alice@example.net>", 2048);
        KeyGen.Generated bob = KeyGen.rsa("Bob <bob@example.net>", 2048);
        Path home = Files.createDirectories(tmp.resolve("gnupg"));
        byte[] a = alice.secring();
        byte[] b = bob.secring();
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        Files.write(home.resolve("secring.gpg"), both);
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        api.start();
        String url = "http://127.0.0.1:" + api.getAddress().getPort() + "/api/v1/";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path file = tmp.resolve("migrc");
        try {
            String answers = "\nn\nY\nhttp://127.0.0.1:1/api/v1/\n" + url + "\n";
            new MigrcSetup(
                            new ByteArrayInputStream(answers.getBytes(StandardCharsets.UTF_8)),
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            home,
                            "gpg")
                    .create(file);
        } finally {
            api.stop(0);
        }
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.startsWith("generate a new configuration file at " + file + "? (Y/n)> "), shown);
        assertTrue(
                shown.contains("found key \"Alice <alice@example.net>\" with fingerprint \"" + alice.fingerprint()
                        + "\".\nuse this key? (Y/n)> "),
                shown);
        assertTrue(shown.contains("using key \"" + bob.fingerprint() + "\""), shown);
        assertTrue(shown.contains("API connection failed: "), shown);
        assertTrue(shown.endsWith("\ncreated configuration file at " + file + "\n\n"), shown);
        assertEquals(
                "[api]\n\turl = \"" + url + "\"\n[gpg]\n\thome = \"" + home + "\"\n\tkeyid = \"" + bob.fingerprint()
                        + "\"\n[targets]\n\tmacro = allonline:status='online'\n",
                Files.readString(file));
        MigRc rc = MigRc.read(file);
        assertEquals("status='online'", rc.resolveMacro("allonline"));
        assertFalse(rc.useGpg());
    }

    @Test
    void decliningOrRunningOutOfInputWritesNothing() {
        Path file = tmp.resolve("migrc");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThrows(
                mig.common.config.ConfigException.class,
                () -> new MigrcSetup(
                                new ByteArrayInputStream("n\n".getBytes(StandardCharsets.UTF_8)), quiet, tmp, "gpg")
                        .create(file));
        assertThrows(
                mig.common.config.ConfigException.class,
                () -> new MigrcSetup(new ByteArrayInputStream(new byte[0]), quiet, tmp, "gpg").create(file));
        assertFalse(Files.exists(file));
    }

    @Test
    void readsGpgsColonListing() {
        String colons = """
                sec:u:2048:1:DE59C102AF729558:1795892000:::u:::scESC:::+:::23::0:
                fpr:::::::::D903231F7344F6E566A76688DE59C102AF729558:
                grp:::::::::0123:
                uid:u::::1795892000::HASH::Root Investigator <root@example.net>::::::::::0:
                ssb:u:2048:1:1111111111111111:1795892000::::::e:::+:::23:
                fpr:::::::::AAAA1111111111111111111111111111111111AA:
                sec:u:255:22:0000000000000002:1795892000:::u:::scESC:::+::ed25519:::0:
                fpr:::::::::bbbb2222222222222222222222222222222222bb:
                uid:u::::1795892000::HASH::Second <second@example.net>::::::::::0:
                """;
        assertEquals(
                List.of(
                        new SecretKeys.Listed(
                                "D903231F7344F6E566A76688DE59C102AF729558", "Root Investigator <root@example.net>"),
                        new SecretKeys.Listed(
                                "BBBB2222222222222222222222222222222222BB", "Second <second@example.net>")),
                SecretKeys.parseColons(colons));
    }
}

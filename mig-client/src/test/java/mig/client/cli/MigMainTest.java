package mig.client.cli;

import static mig.client.cli.ClientOutputGoldenTest.mig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mig.client.cli.ClientOutputGoldenTest.Run;
import mig.common.json.GoJson;
import mig.common.pgp.KeyGen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code mig} prints and exits with before and around an investigation. */
class MigMainTest {

    @TempDir
    static Path tmp;

    static Path key;

    @BeforeAll
    static void investigatorKey() throws IOException {
        key = Files.writeString(
                tmp.resolve("key.asc"), KeyGen.rsa("Test <t@example.net>", 2048).armoredSecretKey());
    }

    @Test
    void helpListsTheGlobalFlagsAndTheModulesAndExitsZero() {
        Run run = mig(List.of("help"));
        assertEquals(ExitCodes.OK, run.code());
        assertTrue(run.out().startsWith("mig - Mozilla InvestiGator command line client\n"), run.out());
        assertTrue(run.out().contains("-target-notfound <action ID>"), run.out());
        assertTrue(
                run.out()
                        .endsWith(
                                "* agentdestroy\n* file\n* memory\n* netstat\n* ping\n* pkg\n* scribe\n* sshkey\n* timedrift\n* yara\n"),
                run.out());
        assertEquals(run.out(), mig(List.of("--help")).out());
    }

    @Test
    void noArgumentsPrintsTheHelpAsAUsageError() {
        Run run = mig(List.of());
        assertEquals(ExitCodes.USAGE, run.code());
        assertTrue(run.out().contains("usage: mig <module> <global options> <module parameters>"));
    }

    @Test
    void moduleHelpComesFromTheModuleEitherWay() {
        Run a = mig(List.of("file", "help"));
        Run b = mig(List.of("help", "file"));
        assertEquals(ExitCodes.OK, a.code());
        assertEquals(a.out(), b.out());
        assertTrue(a.out().contains("-path"), a.out());
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        Run unknown = mig(List.of("filez", "-path", "/"));
        assertEquals(ExitCodes.USAGE, unknown.code());
        assertEquals(
                "error: Unknown module 'filez'; available modules: file, memory, netstat, ping, pkg, scribe, sshkey, timedrift, yara (see 'mig help')\n",
                unknown.err());
        Run badShow = mig(List.of("file", "-show", "some", "-path", "/"));
        assertEquals(ExitCodes.USAGE, badShow.code());
        assertEquals(1, badShow.err().lines().count(), badShow.err());
        Run noFile = mig(List.of("-i"));
        assertEquals(ExitCodes.USAGE, noFile.code());
    }

    @Test
    void aMissingMigrcSaysWhatToDoAndExitsThree() {
        Run run = mig(List.of("file", "-c", tmp.resolve("absent").toString(), "-path", "/etc", "-name", "passwd"));
        assertEquals(ExitCodes.CONFIG, run.code());
        assertTrue(
                run.err().startsWith("error: configuration file " + tmp.resolve("absent") + " not found"), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void anApiThatDoesNotAnswerExitsFour() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path rc = migrc("http://127.0.0.1:" + port + "/api/v1/");
        Run run = mig(List.of("file", "-c", rc.toString(), "-nocountdown", "-path", "/etc", "-name", "passwd"));
        assertEquals(ExitCodes.API_DOWN, run.code(), run.err());
        assertTrue(
                run.err().contains("error: API at http://127.0.0.1:" + port + "/api/v1/ is not reachable"), run.err());
        assertTrue(run.err().contains("is mig-api running?"), run.err());
    }

    @Test
    void anApiThatRefusesTheKeyExitsFiveAfterOneFreshTokenRetry() throws IOException {
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int[] calls = {0};
        api.createContext("/", ex -> {
            calls[0]++;
            byte[] body =
                    ("{\"collection\":{\"version\":\"1.0\",\"href\":\"x\",\"template\":{},\"error\":{\"code\":\"1\","
                                    + "\"message\":\"Authorization verification failed with error 'token signature rejected'\"}}}")
                            .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(401, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        api.start();
        try {
            Path rc = migrc("http://127.0.0.1:" + api.getAddress().getPort() + "/api/v1");
            Run run = mig(List.of("file", "-c", rc.toString(), "-nocountdown", "-path", "/etc", "-name", "passwd"));
            assertEquals(ExitCodes.AUTH, run.code(), run.err());
            assertEquals(2, calls[0]);
            assertTrue(run.err().contains("Authorization verification failed"), run.err());
            assertTrue(run.err().contains("is your key registered as an active investigator?"), run.err());
        } finally {
            api.stop(0);
        }
    }

    @Test
    void localTargetRunsTheModuleHereWithoutAnyMigrc() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("local"));
        Files.writeString(dir.resolve("needle.txt"), "x");
        Run run = mig(List.of(
                "file",
                "-c",
                tmp.resolve("absent").toString(),
                "-t",
                "local",
                "-path",
                dir.toString(),
                "-name",
                "^needle"));
        assertEquals(ExitCodes.OK, run.code(), run.err());
        assertTrue(run.out().startsWith(dir.resolve("needle.txt") + " [lastmodified:"), run.out());
        Run json = mig(List.of("file", "-t", "local", "-render", "json", "-path", dir.toString(), "-name", "^needle"));
        assertTrue(GoJson.tree(json.out()).path("foundanything").asBoolean(), json.out());
    }

    @Test
    void pkgWithoutFlagsPrintsItsHelpAndSucceedsAsTheOriginalClient() {
        Run run = mig(List.of("pkg", "-t", "local"));
        assertEquals(ExitCodes.OK, run.code(), run.err());
        assertTrue(run.out().startsWith("Query parameters\n----------------\n-name <regexp>"), run.out());
        Run bad = mig(List.of("pkg", "-t", "local", "-name", "(a"));
        assertEquals(ExitCodes.USAGE, bad.code());
        assertTrue(bad.err().startsWith("error: error parsing regexp: missing closing ): `(a`"), bad.err());
    }

    @Test
    void pingRunsLocallyWithItsOwnDashCAndDashTAfterTheGlobalOnes() throws IOException {
        try (java.net.ServerSocket listener =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(listener.getLocalPort());
            // the first -t is the target, the -c and -t after -d are the module's count and timeout
            Run run = mig(
                    List.of("ping", "-t", "local", "-d", "127.0.0.1", "-p", "tcp", "-dp", port, "-c", "1", "-t", "3"));
            assertEquals(ExitCodes.OK, run.code(), run.err());
            assertEquals("tcp ping of 127.0.0.1:" + port + " (127.0.0.1) succeeded. Target is reachable.\n", run.out());
        }
        Run bad = mig(List.of("ping", "-t", "local", "-d", "127.0.0.1", "-p", "sctp"));
        assertEquals(ExitCodes.USAGE, bad.code());
        assertEquals("error: sctp is not a supported ping protocol (see 'mig help')\n", bad.err());
    }

    @Test
    void agentdestroyIsNotRunFromTheCommandLineAsInTheOriginal() {
        Run run = mig(List.of("agentdestroy", "-t", "local", "-pid", "1234"));
        assertEquals(ExitCodes.USAGE, run.code());
        assertEquals(
                "error: module 'agentdestroy' does not support command line invocation (see 'mig help')\n", run.err());
    }

    @Test
    void versionIsPrintedWhereverTheFlagIs() {
        assertEquals(ExitCodes.OK, mig(List.of("-V")).code());
        Run v = mig(List.of("file", "-V", "-path", "/"));
        assertEquals(ExitCodes.OK, v.code());
        assertEquals(mig(List.of("-V")).out(), v.out());
    }

    private static Path migrc(String url) throws IOException {
        return Files.writeString(
                tmp.resolve("migrc-" + url.hashCode()),
                "[api]\n    url = \"" + url + "\"\n[gpg]\n" + "    secretkey = " + key + "\n");
    }
}

package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mig.common.Permission;
import mig.common.manifest.ManifestContent;
import mig.common.manifest.ManifestResponse;
import mig.common.manifest.ManifestSignatures;
import mig.common.pgp.KeyGen;
import mig.common.pgp.Keyring;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original Go {@code mig-console}'s {@code create loader}, {@code create manifest} and
 * {@code manifest} commands against this API. The binary is built from mozilla/mig's source
 * outside this repository (docs/original-interop.md); its path is {@code -Dmig.original.console=}
 * or {@code /work/orig/bin/mig-console}, and the test is skipped, saying so, where it is absent.
 * The transcript is written to {@code target/original-console-manifest.txt}.
 */
@ExtendWith(MigServices.class)
class OriginalConsoleManifestIT {

    static Path console() {
        Path p = Paths.get(System.getProperty("mig.original.console", "/work/orig/bin/mig-console"));
        Assumptions.assumeTrue(
                Files.isExecutable(p),
                "the original mig-console is not at " + p + " (build it as docs/original-interop.md says, or set "
                        + "-Dmig.original.console=<path>); skipping the interoperability test");
        return p;
    }

    @Test
    void theOriginalConsoleCreatesSignsAndReadsAManifest(TestDatabase tdb, @TempDir Path home) throws Exception {
        Path console = console();
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            KeyGen.Generated key = KeyGen.rsa("Console Tester <tester@mig.test>", 2048);
            api.register("tester", key, EnumSet.allOf(Permission.class));
            Path gpg = Files.createDirectories(home.resolve("gnupg"));
            Files.write(gpg.resolve("secring.gpg"), key.secring());
            Files.write(gpg.resolve("pubring.gpg"), key.secretKey().publicKey().encoded());
            Path migrc = home.resolve("migrc");
            Files.writeString(
                    migrc,
                    "[api]\n    url = \"http://127.0.0.1:" + api.server.port() + "/api/v1/\"\n[gpg]\n    home = \""
                            + gpg + "\"\n    keyid = \"" + key.fingerprint() + "\"\n");
            Path tarball = home.resolve("bundle.tar.gz");
            Files.write(
                    tarball,
                    java.util.Base64.getDecoder()
                            .decode(ManifestContent.of(Map.of(
                                    "mig-agent", "agent v2\n".getBytes(StandardCharsets.UTF_8),
                                    "configuration", "[agent]\n".getBytes(StandardCharsets.UTF_8)))));

            StringBuilder transcript = new StringBuilder();
            String created = run(
                    console,
                    migrc,
                    home,
                    String.join(
                            "\n",
                            "create loader",
                            "ldr-original",
                            "",
                            "y",
                            "create manifest",
                            "agent v2",
                            "env#>>'{os}'='linux'",
                            tarball.toString(),
                            "y",
                            "exit",
                            ""),
                    transcript);
            assertTrue(created.contains("Manifest successfully created"), created);
            assertTrue(created.contains("New entry successfully created"), created);
            long mid = ManifestLoaderIT.lastManifest(api);

            // the original console reads the manifest, shows its entries and the loaders it selects
            String read = run(
                    console,
                    migrc,
                    home,
                    String.join("\n", "manifest " + mid, "json", "entry", "shasum", "loaders", "sign", "exit", ""),
                    transcript);
            assertTrue(read.contains("Manifest: 'agent v2'."), read);
            assertTrue(read.contains("Status 'staged'."), read);
            assertTrue(read.contains("\"name\": \"mig-agent\""), read);
            // its signature is refused: built with Go 1.10 or later, it hashes each file without its
            // last bytes (here: the SHA-256 of nothing), so what it signs is not the manifest's files
            assertTrue(
                    read.contains("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  mig-agent"), read);
            assertTrue(read.contains("HTTP 400. Signature update failed"), read);
            assertTrue(read.contains("its SHA-256 values leave out the end of each file"), read);
            String[] auth = ApiFixture.auth(key);
            assertEquals("staged", ManifestLoaderIT.status(api, mid, auth));

            // signed over the true hashes (as MIG for Java signs), the console sees it active
            var m = ManifestLoaderIT.item(api.get("/api/v1/manifest?manifestid=" + mid, auth), "manifest");
            var entries = ManifestContent.entries(m.get("content").asText());
            String sig = ManifestSignatures.sign(entries, key.secretKey());
            assertEquals(200, ManifestLoaderIT.sign(api, mid, sig, auth).status());
            ManifestResponse r = new ManifestResponse("", entries, List.of(sig));
            assertEquals(
                    1,
                    ManifestSignatures.verify(
                                    r, Keyring.of(List.of(key.secretKey().publicKey())))
                            .valid());
            String active =
                    run(console, migrc, home, String.join("\n", "manifest " + mid, "json", "exit", ""), transcript);
            assertTrue(active.contains("Status 'active'."), active);
            assertTrue(active.contains("\"signatures\": [\n    \"" + sig.substring(0, 20)), active);

            String disabled = run(
                    console,
                    migrc,
                    home,
                    String.join("\n", "manifest " + mid, "disable", "r", "exit", "exit", ""),
                    transcript);
            assertTrue(disabled.contains("Manifest record has been disabled"), disabled);
            assertEquals("disabled", ManifestLoaderIT.status(api, mid, auth));

            // the loader reader: enable, expected environment, new key, disable
            String loader = run(
                    console,
                    migrc,
                    home,
                    String.join(
                            "\n",
                            "loader 1",
                            "enable",
                            "expectenv tags#>>'{operator}'='myorg'",
                            "json",
                            "key",
                            "y",
                            "disable",
                            "exit",
                            "exit",
                            ""),
                    transcript);
            assertTrue(loader.contains("Loader: 'ldr-original'."), loader);
            assertTrue(loader.contains("Loader has been enabled"), loader);
            assertTrue(loader.contains("Expected environment match set"), loader);
            assertTrue(loader.contains("\"expectenv\": \"tags#\\u003e\\u003e'{operator}'='myorg'\""), loader);
            assertTrue(loader.contains("Loader key changed"), loader);
            assertTrue(loader.contains("Loader has been disabled"), loader);
            var ldr = ManifestLoaderIT.item(api.get("/api/v1/loader?loaderid=1", auth), "loader");
            assertEquals("tags#>>'{operator}'='myorg'", ldr.get("expectenv").asText());
            assertEquals(false, ldr.get("enabled").asBoolean());
            Path out = Paths.get("target", "original-console-manifest.txt");
            Files.writeString(
                    out,
                    transcript
                            .toString()
                            .replace(home.toString(), "$HOME")
                            .replace(key.fingerprint(), "<fingerprint>"));
        }
    }

    private static String run(Path console, Path migrc, Path home, String input, StringBuilder transcript)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(console.toString(), "-c", migrc.toString());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("TERM", "dumb");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the original console did not exit");
        String text = new String(out, StandardCharsets.UTF_8).replaceAll("\u001b\\[[0-9;]*m", "");
        transcript
                .append("$ mig-console -c migrc <<EOF\n")
                .append(input)
                .append("EOF\n")
                .append(text)
                .append('\n');
        return text;
    }
}

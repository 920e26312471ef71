package mig.agent.build;

import static mig.agent.build.TrustFixture.ALICE;
import static mig.agent.build.TrustFixture.BOB;
import static mig.agent.build.TrustFixture.MALLORY;
import static mig.agent.build.TrustFixture.fileSearch;
import static mig.agent.build.TrustFixture.netstat;
import static mig.agent.build.TrustFixture.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import mig.agent.config.AgentConfig;
import mig.agent.trust.RefusedActionException;
import mig.agent.trust.Trust;
import mig.common.Action;
import mig.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent packaged with compiled-in trust obeys the build, not the disk: the packager's output
 * read back through a class loader, as the packaged agent reads itself.
 */
class AgentBuildTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    /** Packages a trust folder (no classes: only the trust matters here) and loads it back. */
    private AgentBuild pack(boolean trustFromDisk) throws IOException {
        Path trust = TrustFixture.writeTrustFolder(tmp.resolve("trust"), "acme-prod", trustFromDisk, null);
        AgentPackager.Result r =
                AgentPackager.pack(trust, tmp.resolve("out"), List.of(), Optional.empty(), Optional.empty(), CLOCK);
        return load(r.jar());
    }

    private static AgentBuild load(Path jar) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            return AgentBuild.load(loader).orElseThrow();
        }
    }

    /** An agent configuration whose conf folder holds Mallory's key and an ACL that trusts her. */
    private AgentConfig configWithDiskTrust() throws IOException {
        Path conf = TrustFixture.writeDiskTrust(tmp.resolve("etc-mig"));
        return AgentConfig.builder().confDir(conf).runDir(tmp.resolve("run")).build();
    }

    private static String refusal(Trust trust, Action action) {
        return assertThrows(RefusedActionException.class, () -> trust.authorize(action, Instant.now()))
                .getMessage();
    }

    @Test
    void aPackagedAgentRefusesAKeyThatIsOnlyOnDiskAndAcceptsItsCompiledInKeys() throws Exception {
        AgentBuild build = pack(false);
        Trust trust = Trust.forAgent(Optional.of(build), configWithDiskTrust());

        String why = refusal(trust, signed("mallory", List.of(fileSearch(tmp, "x")), MALLORY));
        assertTrue(why.contains("failed to retrieve fingerprint from signatures"), why);
        assertEquals(
                List.of(ALICE.fingerprint()),
                trust.authorize(signed("alice", List.of(netstat()), ALICE), Instant.now()));
    }

    @Test
    void theCompiledInAclWeighsSignaturesPerModule() throws Exception {
        Trust trust = Trust.forAgent(Optional.of(pack(false)), configWithDiskTrust());

        assertEquals(
                List.of(BOB.fingerprint()),
                trust.authorize(signed("bob file", List.of(fileSearch(tmp, "x")), BOB), Instant.now()),
                "file needs weight 1 and Bob has 1");
        String why = refusal(trust, signed("bob netstat", List.of(netstat()), BOB));
        assertTrue(
                why.endsWith(
                        "permission denied for operation netstat, insufficient signatures weight " + "(need 2, got 1)"),
                why);
        why = refusal(trust, signed("bob both", List.of(fileSearch(tmp, "x"), netstat()), BOB));
        assertTrue(why.contains("operation netstat"), "every operation must pass: " + why);
        assertEquals(
                2,
                trust.authorize(signed("both sign", List.of(netstat()), ALICE, BOB), Instant.now())
                        .size());
    }

    @Test
    void aBuildThatSaysTrustFromDiskLetsTheFilesReplaceItsTrustAsTheOriginalDid() throws Exception {
        AgentBuild build = pack(true);
        assertTrue(build.trustFromDisk());
        Trust fromDisk = Trust.forAgent(Optional.of(build), configWithDiskTrust());
        assertEquals(
                List.of(MALLORY.fingerprint()),
                fromDisk.authorize(signed("mallory", List.of(netstat()), MALLORY), Instant.now()));

        Trust noFiles = Trust.forAgent(
                Optional.of(build),
                AgentConfig.builder().confDir(tmp.resolve("empty")).build());
        assertEquals(
                List.of(ALICE.fingerprint()),
                noFiles.authorize(signed("alice", List.of(netstat()), ALICE), Instant.now()),
                "without files the compiled-in trust stays");
    }

    @Test
    void theBuildRecordsItsNameTimeAndKeys() throws Exception {
        AgentBuild build = pack(false);
        assertEquals("acme-prod", build.name());
        assertEquals(CLOCK.instant(), build.built());
        assertEquals(
                List.of(ALICE.fingerprint(), BOB.fingerprint()),
                build.keyring().keys().stream().map(k -> k.fingerprint()).toList());
        assertTrue(AgentPackager.summary(build).contains("key:      " + BOB.fingerprint()));
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertTrue(AgentBuild.load(empty).isEmpty(), "a development agent has no build");
        }
    }

    @Test
    void aJarWhoseTrustWasEditedRefusesToLoad() throws Exception {
        Path trust = TrustFixture.writeTrustFolder(tmp.resolve("trust"), "acme", false, null);
        Path jar = AgentPackager.pack(trust, tmp.resolve("out"), List.of(), Optional.empty(), Optional.empty(), CLOCK)
                .jar();
        Path edited = tmp.resolve("edited.jar");
        String mallorysAcl = "{\"default\":{\"minimumweight\":1,\"investigators\":{\"M\":{\"fingerprint\":\""
                + MALLORY.fingerprint() + "\",\"weight\":1}}}}";
        try (JarFile in = new JarFile(jar.toFile());
                OutputStream file = Files.newOutputStream(edited);
                JarOutputStream out = new JarOutputStream(file)) {
            Enumeration<JarEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                out.putNextEntry(new JarEntry(e.getName()));
                try (InputStream data = in.getInputStream(e)) {
                    out.write(
                            e.getName().equals("mig-agent-build/acl.cfg")
                                    ? mallorysAcl.getBytes(StandardCharsets.UTF_8)
                                    : data.readAllBytes());
                }
                out.closeEntry();
            }
        }
        ConfigException e = assertThrows(ConfigException.class, () -> load(edited));
        assertTrue(e.getMessage().contains("does not match its digest"), e.getMessage());
    }

    @Test
    void theTrustFolderIsCheckedStrictlyAtBuildTime() throws Exception {
        Path trust = TrustFixture.writeTrustFolder(tmp.resolve("trust"), "acme", false, null);

        Files.writeString(trust.resolve("agentkeys/broken.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\nnope\n");
        assertTrue(failure(trust).contains("broken.asc: not one armoured public key"), failure(trust));
        Files.delete(trust.resolve("agentkeys/broken.asc"));

        Files.delete(trust.resolve("agentkeys/bob.asc"));
        String why = failure(trust);
        assertTrue(
                why.contains("names investigators whose key is not in")
                        && why.contains("default/Bob (")
                        && why.contains(BOB.fingerprint()),
                why);
        Files.writeString(trust.resolve("agentkeys/bob.asc"), BOB.armoredPublicKey());

        Files.writeString(trust.resolve("mig-agent.cfg"), "[agent]\nrelay = \"amqp://r:5672/\"\n");
        assertTrue(failure(trust).contains("heartbeatfreq is required"), failure(trust));
        Files.delete(trust.resolve("mig-agent.cfg"));

        Files.writeString(trust.resolve("build.cfg"), "[build]\nname = \"has space\"\n");
        assertTrue(failure(trust).contains("[build] name = 'has space' must be"), failure(trust));
        Files.delete(trust.resolve("build.cfg"));

        Files.delete(trust.resolve("acl.cfg"));
        assertTrue(failure(trust).contains("acl.cfg is missing: it must hold the ACL"), failure(trust));
    }

    @Test
    void aKeyTheAclDoesNotNameIsAWarningNotAnError() throws Exception {
        Path trust = TrustFixture.writeTrustFolder(tmp.resolve("trust"), "acme", false, null);
        Files.writeString(trust.resolve("agentkeys/mallory.asc"), MALLORY.armoredPublicKey());
        TrustFolder folder = TrustFolder.read(trust);
        assertEquals(
                List.of("agentkeys/mallory.asc (" + MALLORY.fingerprint() + ") is not named in acl.cfg: it "
                        + "only counts with onlyverifypubkey = on"),
                folder.warnings());
    }

    private String failure(Path trust) {
        return assertThrows(ConfigException.class, () -> TrustFolder.read(trust))
                .getMessage();
    }

    @Test
    void theExampleTrustFolderBuildsWithoutWarnings() {
        TrustFolder example = TrustFolder.read(Path.of("../packaging/agent/example"));
        assertEquals("example", example.name());
        assertEquals(
                List.of("root-investigator.asc"), List.copyOf(example.keys().keySet()));
        assertEquals(List.of(), example.warnings());
        assertTrue(example.settings().isPresent());
    }
}

package mig.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mig.client.cli.MigMain;
import mig.common.Agent;
import mig.common.Permission;
import mig.common.acl.Acl;
import mig.common.pgp.KeyGen;
import mig.common.pgp.Keyring;
import mig.database.AgentStore;
import mig.database.DbConfig;
import mig.database.InvestigatorStore;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real investigation through every component: our {@code mig} client signs and posts a file
 * search to the API, the scheduler turns it into a command on the broker, the agent verifies it
 * against its keys and ACL, runs the file module and publishes the result, and the client prints
 * the original's line.
 */
@ExtendWith(MigServices.class)
class InvestigationIT {

    @TempDir
    Path tmp;

    @Test
    void aFileSearchFindsThePlantedFileAndPrintsTheOriginalsLine(TestDatabase tdb, TestBroker broker) throws Exception {
        KeyGen.Generated investigator = KeyGen.rsa("Eve Investigator <eve@example.net>", 2048);
        // known to the agent's keyring but not weighed by its ACL
        KeyGen.Generated mallory = KeyGen.rsa("Mallory <mallory@example.net>", 2048);
        // registered with the API but unknown to the agent
        KeyGen.Generated trudy = KeyGen.rsa("Trudy <trudy@example.net>", 2048);
        DbConfig dbConfig = DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 8);
        Acl acl = Acl.parse("{\"default\":{\"minimumweight\":1,\"investigators\":{\"eve\":{\"fingerprint\":\""
                + investigator.fingerprint() + "\",\"weight\":1}}}}");
        Path searchDir = Files.createDirectories(tmp.resolve("search"));
        Path planted = Files.writeString(searchDir.resolve("planted-ioc.txt"), "evil\n");
        Files.writeString(searchDir.resolve("innocent.txt"), "fine\n");
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setLastModifiedTime(planted, FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));

        try (Platform platform = Platform.start(new Platform.Settings(
                dbConfig,
                broker.uri(),
                0,
                Keyring.of(List.of(
                        investigator.secretKey().publicKey(),
                        mallory.secretKey().publicKey())),
                acl,
                Files.createDirectories(tmp.resolve("agent-run")),
                Duration.ofSeconds(30),
                true))) {
            new InvestigatorStore(platform.database().dataSource())
                    .create(
                            "eve",
                            investigator.fingerprint(),
                            investigator.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                            Permission.toMask(Permission.DEFAULT),
                            Instant.now());
            new InvestigatorStore(platform.database().dataSource())
                    .create(
                            "mallory",
                            mallory.fingerprint(),
                            mallory.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                            Permission.toMask(Permission.DEFAULT),
                            Instant.now());
            new InvestigatorStore(platform.database().dataSource())
                    .create(
                            "trudy",
                            trudy.fingerprint(),
                            trudy.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                            Permission.toMask(Permission.DEFAULT),
                            Instant.now());
            Agent agent = awaitOnlineAgent(new AgentStore(platform.database().dataSource()));

            Path key = Files.writeString(tmp.resolve("eve.asc"), investigator.armoredSecretKey());
            Path migrc = Files.writeString(
                    tmp.resolve("migrc"),
                    "[api]\n    url = \"" + platform.apiUrl() + "\"\n"
                            + "[gpg]\n    secretkey = \"" + key + "\"\n    keyid = " + investigator.fingerprint() + "\n"
                            + "[targets]\n    macro = all:status='online'\n");

            Run found = mig(
                    "file",
                    "-c",
                    migrc.toString(),
                    "-nocountdown",
                    "-t",
                    "all",
                    "-path",
                    searchDir.toString(),
                    "-name",
                    "^planted-ioc\\.txt$");
            assertEquals(0, found.code, found.err);
            assertEquals(
                    agent.name() + " " + planted + " [lastmodified:2020-01-02 03:04:05 +0000 UTC, "
                            + "mode:-rw-r--r--, size:5] in search 's1'\n",
                    found.out);
            assertTrue(found.err.contains("1 agents will be targeted. ctrl+c to cancel. launching in"), found.err);
            assertTrue(found.err.contains("1 sent, 1 done, 1 succeeded"), found.err);
            assertTrue(found.err.contains("1 agent has found results"), found.err);

            Run nothing = mig(
                    "file",
                    "-c",
                    migrc.toString(),
                    "-nocountdown",
                    "-t",
                    "status='online'",
                    "-path",
                    searchDir.toString(),
                    "-name",
                    "^absent$");
            assertEquals(0, nothing.code, nothing.err);
            assertEquals("", nothing.out);
            assertTrue(nothing.err.contains("1 sent, 1 done, 1 succeeded"), nothing.err);
            assertTrue(nothing.err.contains("0 agent has found results"), nothing.err);

            // an investigator the API knows but the agent's ACL does not weigh: the agent refuses and says why
            Path malloryKey = Files.writeString(tmp.resolve("mallory.asc"), mallory.armoredSecretKey());
            Path malloryRc = Files.writeString(
                    tmp.resolve("mallory-migrc"),
                    "[api]\n    url = \"" + platform.apiUrl() + "\"\n[gpg]\n    secretkey = \"" + malloryKey
                            + "\"\n    keyid = " + mallory.fingerprint() + "\n");
            Run refused = mig(
                    "file",
                    "-c",
                    malloryRc.toString(),
                    "-nocountdown",
                    "-show",
                    "all",
                    "-render",
                    "json",
                    "-path",
                    searchDir.toString(),
                    "-name",
                    "^planted-ioc\\.txt$");
            assertEquals(6, refused.code, "a refused command is a failed investigation: " + refused.err);
            assertTrue(refused.out.contains("\"status\":\"failed\""), refused.out);
            assertTrue(
                    refused.out.contains("permission denied for operation file, insufficient signatures weight "
                            + "(need 1, got 0)"),
                    refused.out);
            assertTrue(refused.err.contains("1 sent, 1 done, 1 failed"), refused.err);

            Path trudyKey = Files.writeString(tmp.resolve("trudy.asc"), trudy.armoredSecretKey());
            Path trudyRc = Files.writeString(
                    tmp.resolve("trudy-migrc"),
                    "[api]\n    url = \"" + platform.apiUrl() + "\"\n[gpg]\n    secretkey = \"" + trudyKey
                            + "\"\n    keyid = " + trudy.fingerprint() + "\n");
            Run unknown = mig(
                    "file",
                    "-c",
                    trudyRc.toString(),
                    "-nocountdown",
                    "-show",
                    "all",
                    "-render",
                    "json",
                    "-path",
                    searchDir.toString(),
                    "-name",
                    "^planted-ioc\\.txt$");
            assertEquals(6, unknown.code, unknown.err);
            assertTrue(unknown.out.contains("\"status\":\"failed\""), unknown.out);
            assertTrue(unknown.out.contains("signature made by unknown key id"), unknown.out);
        }
    }

    static Agent awaitOnlineAgent(AgentStore agents) {
        return await("the agent registered")
                .atMost(Duration.ofSeconds(30))
                .until(() -> agents.targeted("status='online'", 0), online -> !online.isEmpty())
                .get(0);
    }

    record Run(int code, String out, String err) {}

    static Run mig(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MigMain.run(
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

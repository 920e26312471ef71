package mig.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The original's Go client ({@code mig ping}, built from its source outside this repository at
 * {@value #ORIGINAL_CLIENT}) against our API, scheduler and agent: its signed action is accepted,
 * our agent runs the ping module and the client prints the original's line. Skipped when that
 * build is not there.
 */
@ExtendWith(MigServices.class)
class OriginalClientPingIT {

    static final String ORIGINAL_CLIENT = "/work/orig/bin/mig";

    @TempDir
    Path tmp;

    @Test
    void theOriginalClientsPingSucceedsThroughOurPlatform(TestDatabase tdb, TestBroker broker) throws Exception {
        Path client = Path.of(ORIGINAL_CLIENT);
        assumeTrue(Files.isExecutable(client), "the original client is not built at " + client + "; skipped");
        KeyGen.Generated investigator = KeyGen.rsa("Olive Original <olive@example.net>", 2048);
        DbConfig dbConfig = DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 8);
        Acl acl = Acl.parse("{\"default\":{\"minimumweight\":1,\"investigators\":{\"olive\":{\"fingerprint\":\""
                + investigator.fingerprint() + "\",\"weight\":1}}}}");
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                Platform platform = Platform.start(new Platform.Settings(
                        dbConfig,
                        broker.uri(),
                        0,
                        Keyring.of(List.of(investigator.secretKey().publicKey())),
                        acl,
                        Files.createDirectories(tmp.resolve("agent-run")),
                        Duration.ofSeconds(30),
                        true))) {
            Thread accept = new Thread(
                    () -> {
                        while (!listener.isClosed()) {
                            try {
                                listener.accept().close(); // the ping connected
                            } catch (IOException e) {
                                return;
                            }
                        }
                    },
                    "ping-target");
            accept.setDaemon(true);
            accept.start();
            new InvestigatorStore(platform.database().dataSource())
                    .create(
                            "olive",
                            investigator.fingerprint(),
                            investigator.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                            Permission.toMask(Permission.DEFAULT),
                            Instant.now());
            Agent agent = InvestigationIT.awaitOnlineAgent(
                    new AgentStore(platform.database().dataSource()));

            // the original client reads GnuPG 1's secring.gpg from [gpg] home
            Path gnupg = Files.createDirectories(tmp.resolve("gnupg"));
            Files.write(gnupg.resolve("secring.gpg"), investigator.secring());
            Path migrc = Files.writeString(
                    tmp.resolve("migrc"),
                    "[api]\n    url = \"" + platform.apiUrl() + "\"\n[gpg]\n    home = \"" + gnupg
                            + "\"\n    keyid = \"" + investigator.fingerprint() + "\"\n");
            int port = listener.getLocalPort();
            ProcessBuilder pb = new ProcessBuilder(
                            ORIGINAL_CLIENT,
                            "ping",
                            "-c",
                            migrc.toString(),
                            "-t",
                            "status='online'",
                            "-d",
                            "127.0.0.1",
                            "-p",
                            "tcp",
                            "-dp",
                            Integer.toString(port),
                            "-c",
                            "2")
                    .redirectOutput(tmp.resolve("out").toFile())
                    .redirectError(tmp.resolve("err").toFile());
            pb.environment().put("HOME", tmp.toString());
            Process p = pb.start();
            boolean done = p.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly();
            }
            String out = Files.readString(tmp.resolve("out"));
            String err = Files.readString(tmp.resolve("err"));
            assertTrue(done, "the original client did not finish: " + out + err);
            assertEquals(0, p.exitValue(), out + err);
            assertTrue(err.contains("1 sent, 1 done, 1 succeeded"), err);
            assertEquals(
                    agent.name() + " tcp ping of 127.0.0.1:" + port + " (127.0.0.1) succeeded. Target is reachable.\n",
                    out,
                    err);
        }
    }
}

package mig.standalone.client;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import mig.common.Agent;
import mig.common.Permission;
import mig.common.acl.Acl;
import mig.common.pgp.KeyGen;
import mig.common.pgp.Keyring;
import mig.common.pgp.PublicKey;
import mig.database.AgentStore;
import mig.database.DbConfig;
import mig.database.InvestigatorStore;
import mig.standalone.Platform;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import mig.testkit.TestServices;

/**
 * The whole platform for the client tools' tests (copied from {@code InvestigationIT}'s set-up):
 * API, scheduler and one agent on a fresh database and broker vhost; investigator "eve" registered
 * with administrator rights and trusted by the agent; a folder with one planted file to find; a
 * migrc for eve with an {@code all} macro.
 */
final class ClientPlatform implements AutoCloseable {
    final KeyGen.Generated eve;
    final Platform platform;
    final Agent agent;
    final Path migrc;
    final Path searchDir;
    final Path planted;
    private final TestDatabase tdb;
    private final TestBroker broker;

    private ClientPlatform(
            KeyGen.Generated eve,
            Platform platform,
            Agent agent,
            Path migrc,
            Path searchDir,
            Path planted,
            TestDatabase tdb,
            TestBroker broker) {
        this.eve = eve;
        this.platform = platform;
        this.agent = agent;
        this.migrc = migrc;
        this.searchDir = searchDir;
        this.planted = planted;
        this.tdb = tdb;
        this.broker = broker;
    }

    /**
     * @param also other investigators' keys the agent trusts (weight 1 each) and the API knows
     */
    static ClientPlatform start(Path tmp, List<PublicKey> also) throws IOException, InterruptedException {
        KeyGen.Generated eve = KeyGen.rsa("Eve Investigator <eve@example.net>", 2048);
        List<PublicKey> trusted = new ArrayList<>(List.of(eve.secretKey().publicKey()));
        trusted.addAll(also);
        StringBuilder acl = new StringBuilder("{\"default\":{\"minimumweight\":1,\"investigators\":{");
        for (int i = 0; i < trusted.size(); i++) {
            acl.append(i > 0 ? "," : "")
                    .append("\"inv")
                    .append(i)
                    .append("\":{\"fingerprint\":\"")
                    .append(trusted.get(i).fingerprint())
                    .append("\",\"weight\":1}");
        }
        acl.append("}}}");
        Path searchDir = Files.createDirectories(tmp.resolve("search"));
        Path planted = Files.writeString(searchDir.resolve("planted-ioc.txt"), "evil\n");
        Files.writeString(searchDir.resolve("innocent.txt"), "fine\n");
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setLastModifiedTime(planted, FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
        TestDatabase tdb = TestServices.postgres().newDatabase();
        TestBroker broker = TestServices.amqp().newBroker();
        Platform platform;
        try {
            platform = Platform.start(new Platform.Settings(
                    DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 8),
                    broker.uri(),
                    0,
                    Keyring.of(trusted),
                    Acl.parse(acl.toString()),
                    Files.createDirectories(tmp.resolve("agent-run")),
                    Duration.ofSeconds(30),
                    true));
        } catch (IOException | RuntimeException e) {
            broker.close();
            tdb.close();
            throw e;
        }
        InvestigatorStore investigators =
                new InvestigatorStore(platform.database().dataSource());
        Set<Permission> admin = EnumSet.copyOf(Permission.DEFAULT);
        admin.addAll(Permission.ADMIN);
        investigators.create(
                "eve",
                eve.fingerprint(),
                eve.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                Permission.toMask(admin),
                Instant.now());
        for (int i = 0; i < also.size(); i++) {
            investigators.create(
                    "investigator " + (i + 1),
                    also.get(i).fingerprint(),
                    also.get(i).armored().getBytes(StandardCharsets.UTF_8),
                    Permission.toMask(Permission.DEFAULT),
                    Instant.now());
        }
        Agent agent = awaitOnlineAgent(new AgentStore(platform.database().dataSource()));
        Path key = Files.writeString(tmp.resolve("eve.asc"), eve.armoredSecretKey());
        Path migrc = Files.writeString(
                tmp.resolve("migrc"),
                "[api]\n    url = \"" + platform.apiUrl() + "\"\n"
                        + "[gpg]\n    secretkey = \"" + key + "\"\n    keyid = " + eve.fingerprint() + "\n"
                        + "[targets]\n    macro = all:status='online'\n");
        return new ClientPlatform(eve, platform, agent, migrc, searchDir, planted, tdb, broker);
    }

    static Agent awaitOnlineAgent(AgentStore agents) {
        return await("the agent registered")
                .atMost(Duration.ofSeconds(30))
                .until(() -> agents.targeted("status='online'", 0), online -> !online.isEmpty())
                .get(0);
    }

    @Override
    public void close() {
        platform.close();
        broker.close();
        tdb.close();
    }
}

package mig.standalone.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import mig.api.ApiConfig;
import mig.api.ApiServer;
import mig.client.api.MigApiClient;
import mig.client.console.ConsoleMain;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Operation;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.common.pgp.AuthToken;
import mig.common.pgp.KeyGen;
import mig.database.DbConfig;
import mig.database.InvestigatorStore;
import mig.database.MigDatabase;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's {@code cancel} order in action reader mode and its manifest reader, against the API
 * on real PostgreSQL.
 */
@ExtendWith(MigServices.class)
class ConsoleCancelIT {

    @Test
    void cancelInTheActionReaderStopsAnActionNotDispatchedYet(TestDatabase tdb, @TempDir Path home) throws Exception {
        try (MigDatabase db = MigDatabase.open(
                                DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 4), "cancel-it")
                        .migrate();
                ApiServer api = ApiServer.start(ApiConfig.local(0, "http://localhost:1664", true, db.config()), db)) {
            KeyGen.Generated key = KeyGen.rsa("Canceller <c@mig.test>", 2048);
            new InvestigatorStore(db.dataSource())
                    .create(
                            "canceller",
                            key.fingerprint(),
                            key.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                            Permission.toMask(EnumSet.allOf(Permission.class)),
                            Instant.now());
            Path gpg = Files.createDirectories(home.resolve("gnupg"));
            Files.write(gpg.resolve("secring.gpg"), key.secring());
            Files.write(gpg.resolve("pubring.gpg"), key.secretKey().publicKey().encoded());
            Path migrc = home.resolve("migrc");
            Files.writeString(
                    migrc,
                    "[api]\n    url = \"" + api.localUrl() + "/\"\n[gpg]\n    home = \"" + gpg + "\"\n    keyid = \""
                            + key.fingerprint() + "\"\n");

            // an action valid from tomorrow: it waits, pending, and the console cancels it
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Action a = ActionSignatures.sign(
                    Action.draft(
                            "tomorrow's sweep",
                            "status='online'",
                            now.plus(1, ChronoUnit.DAYS),
                            now.plus(2, ChronoUnit.DAYS),
                            List.of(
                                    Operation.of(
                                            "file",
                                            GoJson.tree(
                                                    "{\"searches\":{\"s1\":{\"paths\":[\"/etc\"],\"names\":[\"^hostname$\"]}}}")))),
                    key.secretKey());
            long id = new MigApiClient(
                            api.localUrl() + "/",
                            () -> AuthToken.make(key.secretKey(), java.time.Clock.systemUTC()),
                            "test",
                            false)
                    .postAction(a)
                    .id();

            ClientToolsIT.Run run = ClientToolsIT.run(
                    ConsoleMain::run, "action " + id + "\ncancel\ncancel\nexit\nexit\n", "-q", "-c", migrc.toString());
            assertTrue(
                    run.out().contains("Action " + id + " cancelled: 0 commands cancelled, status 'completed'"),
                    run.out() + run.err());
            assertTrue((run.out() + run.err()).contains("nothing left to cancel"), run.out() + run.err());
            try (Connection c = db.dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT status FROM actions WHERE id = " + id)) {
                rs.next();
                assertEquals("completed", rs.getString(1));
            }
        }
    }

    @Test
    void theManifestReaderSignsAManifestTheLoaderAccepts(TestDatabase tdb, @TempDir Path home) throws Exception {
        try (MigDatabase db = MigDatabase.open(
                                DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 4), "manifest-it")
                        .migrate();
                ApiServer api = ApiServer.start(ApiConfig.local(0, "http://localhost:1664", true, db.config()), db)) {
            KeyGen.Generated key = KeyGen.rsa("Signer <s@mig.test>", 2048);
            new InvestigatorStore(db.dataSource())
                    .create(
                            "signer",
                            key.fingerprint(),
                            key.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                            Permission.toMask(EnumSet.allOf(Permission.class)),
                            Instant.now());
            Path gpg = Files.createDirectories(home.resolve("gnupg"));
            Files.write(gpg.resolve("secring.gpg"), key.secring());
            Path migrc = home.resolve("migrc");
            Files.writeString(
                    migrc,
                    "[api]\n    url = \"" + api.localUrl() + "/\"\n[gpg]\n    home = \"" + gpg + "\"\n    keyid = \""
                            + key.fingerprint() + "\"\n");
            MigApiClient client = new MigApiClient(
                    api.localUrl() + "/",
                    () -> AuthToken.make(key.secretKey(), java.time.Clock.systemUTC()),
                    "test",
                    false);
            String content = mig.common.manifest.ManifestContent.of(
                    java.util.Map.of("mig-agent", "agent v2\n".getBytes(StandardCharsets.UTF_8)));
            client.postForm(
                    "manifest/new/",
                    java.util.Map.of(
                            "manifest",
                            GoJson.marshal(java.util.Map.of(
                                    "name",
                                    "v2",
                                    "target",
                                    "env#>>'{os}'='linux'",
                                    "status",
                                    "staged",
                                    "content",
                                    content))),
                    201);

            ClientToolsIT.Run run = ClientToolsIT.run(
                    ConsoleMain::run, "manifest 1\nshasum\nsign\nr\njson\nexit\nexit\n", "-q", "-c", migrc.toString());
            String sha = java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest("agent v2\n".getBytes(StandardCharsets.UTF_8)));
            assertTrue(run.out().contains(sha + "  mig-agent"), run.out() + run.err());
            assertTrue(run.out().contains("Manifest signature has been accepted"), run.out() + run.err());
            assertTrue(run.out().contains("\"status\": \"active\""), run.out());
            // what the console signed is what a loader trusting this key accepts
            JsonNode m = MigApiClient.values(client.get("manifest?manifestid=1"), "manifest")
                    .get(0);
            mig.common.manifest.ManifestSignatures.require(
                    new mig.common.manifest.ManifestResponse(
                            "",
                            mig.common.manifest.ManifestContent.entries(content),
                            List.of(m.get("signatures").get(0).asText())),
                    mig.common.pgp.Keyring.of(List.of(key.secretKey().publicKey())),
                    1);
        }
    }
}

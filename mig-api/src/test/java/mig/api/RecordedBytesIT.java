package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import mig.common.Action;
import mig.common.Agent;
import mig.common.Command;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.database.ActionStore;
import mig.database.CommandStore;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our answers byte for byte against the original's recorded ones, with the database holding the
 * recorded rows (investigator "root", the hostname action, its one command, the agent "vm").
 */
@ExtendWith(MigServices.class)
class RecordedBytesIT {

    static final String FINGERPRINT = "D903231F7344F6E566A76688DE59C102AF729558";

    @Test
    void getActionCommandAndAgentAnswerTheRecordedBytes(TestDatabase tdb) throws Exception {
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            seed(api);
            ApiFixture.Answer action = api.get("/api/v1/action?actionid=28090946682984");
            assertEquals(200, action.status());
            assertEquals(Resources.wire("07-action-poll-3.json"), action.body());
            assertEquals("application/json", action.header("Content-Type"));
            assertEquals("no-cache", action.header("Cache-Control"));

            ApiFixture.Answer command = api.get("/api/v1/command?commandid=28090945636567");
            assertEquals(200, command.status());
            assertEquals(Resources.wire("09-command.json"), command.body());

            ApiFixture.Answer agent = api.get("/api/v1/agent?agentid=28090946682886");
            assertEquals(200, agent.status());
            assertEquals(Resources.wire("15-agent.json"), agent.body());
        }
    }

    @Test
    void searchingTheRecordedCommandAnswersTheRecordedItemsThen404PastTheEnd(TestDatabase tdb) throws Exception {
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            seed(api);
            ApiFixture.Answer page = api.get("/api/v1/search?type=command&limit=37&offset=0&actionid=28090946682984");
            assertEquals(200, page.status());
            assertEquals(
                    withoutSearchWindow(Resources.wire("08-search-commands.json")), withoutSearchWindow(page.body()));

            ApiFixture.Answer agents = api.get("/api/v1/search?type=agent&limit=1000000&target=status%3d%27online%27");
            assertEquals(200, agents.status());
            assertEquals(
                    withoutSearchWindow(Resources.wire("04-search-agents.json")
                            // the recording's agent had beaten 15 s earlier than in 15-agent.json, which the rows hold
                            .replace("2026-11-28T19:05:19.372633Z", "2026-11-28T19:05:34.389673Z")),
                    withoutSearchWindow(agents.body()));

            ApiFixture.Answer past = api.get("/api/v1/search?type=command&limit=37&offset=37&actionid=28090946682984");
            assertEquals(404, past.status());
            assertEquals(
                    withoutSearchWindow(withoutCode(Resources.wire("10-search-commands-empty.json"))),
                    withoutSearchWindow(withoutCode(past.body())));
            assertEquals(
                    "no results found",
                    GoJson.tree(past.body()).at("/collection/error/message").asText());
        }
    }

    @Test
    void healthIpAndUnknownPathsAnswerAsRecorded(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            ApiFixture.Answer hb = api.get("/api/v1/heartbeat");
            assertEquals(200, hb.status());
            assertEquals(Resources.wire("01-heartbeat.json"), hb.body());

            ApiFixture.Answer ip = api.get("/api/v1/ip");
            assertEquals(200, ip.status());
            assertEquals(Resources.wire("02-ip.txt"), ip.body());
            assertEquals("application/json", ip.header("Content-Type"));

            ApiFixture.Answer root = api.get("/");
            assertEquals(404, root.status());
            assertEquals("404 page not found\n", root.body());
            // Jetty writes the recorded "text/plain; charset=utf-8" without the space.
            assertEquals("text/plain;charset=utf-8", root.header("Content-Type").replace(" ", ""));
            assertEquals("nosniff", root.header("X-Content-Type-Options"));

            assertEquals(404, api.get("/api/v1/action/create/").status(), "wrong method, as gorilla/mux answers");
            assertEquals(404, api.get("/api/v1/search/").status(), "no trailing-slash leniency");

            ApiFixture.Answer noAuth = api.get("/api/v1/dashboard");
            assertEquals(401, noAuth.status());
            assertEquals(withoutCode(Resources.wire("03-dashboard-noauth.json")), withoutCode(noAuth.body()));

            ApiFixture.Answer notFound = api.get("/api/v1/action?actionid=1", "X-MIGAPIKEY", "nope");
            assertEquals(401, notFound.status());
        }
    }

    @Test
    void anUnknownActionIsTheRecorded404(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            ApiFixture.Answer a = api.get("/api/v1/action?actionid=1");
            assertEquals(404, a.status());
            assertEquals(withoutCode(Resources.wire("16-action-notfound.json")), withoutCode(a.body()));
        }
    }

    @Test
    void theDashboardShowsTheLatestStatisticsThenTheLastActions(TestDatabase tdb) throws Exception {
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            seed(api);
            try (Connection c = api.db.connection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO "
                            + "agents_stats VALUES (now(), 1, '[{\"version\":\"0.unversioned\",\"count\":1}]', 1, 0, "
                            + "'[]', 0, 1, 0, 0, 0)")) {
                ps.executeUpdate();
            }
            ApiFixture.Answer a = api.get("/api/v1/dashboard");
            assertEquals(200, a.status(), a.body());
            String stats = "{\"href\":\"http://localhost:1664/api/v1/dashboard\",\"data\":["
                    + "{\"name\":\"online agents\",\"value\":1},"
                    + "{\"name\":\"online agents by version\",\"value\":[{\"version\":\"0.unversioned\",\"count\":1}]},"
                    + "{\"name\":\"online endpoints\",\"value\":1},{\"name\":\"idle agents\",\"value\":0},"
                    + "{\"name\":\"idle agents by version\",\"value\":[]},{\"name\":\"idle endpoints\",\"value\":0},"
                    + "{\"name\":\"new endpoints\",\"value\":1},"
                    + "{\"name\":\"endpoints running 2 or more agents\",\"value\":0},"
                    + "{\"name\":\"disappeared endpoints\",\"value\":0},{\"name\":\"flapping endpoints\",\"value\":0}]}";
            String poll = Resources.wire("07-action-poll-3.json");
            String actionItem = poll.substring(poll.indexOf("\"items\":[") + 9, poll.indexOf("],\"template\""));
            assertEquals(
                    "{\"collection\":{\"version\":\"1.0\",\"href\":\"http://localhost:1664/api/v1/dashboard\","
                            + "\"items\":[" + stats + "," + actionItem + "],\"template\":{},\"error\":{}}}",
                    a.body());
        }
    }

    @Test
    void everyRequestIsLoggedAsTheOriginalLogsIt(TestDatabase tdb) {
        ch.qos.logback.classic.Logger access =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("mig.api.access");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        access.addAppender(lines);
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.get("/api/v1/heartbeat", "User-Agent", "MIG Client cmd-0.unversioned");
            api.get("/api/v1/dashboard?x=1", "User-Agent", "curl/7.88.1");
        } finally {
            access.detachAppender(lines);
        }
        List<String> logged =
                lines.list.stream().map(e -> e.getFormattedMessage()).toList();
        assertEquals(
                List.of(
                        "src=127.0.0.1 category=public auth=[noauth 0] GET HTTP/1.1 /api/v1/heartbeat resp_code=200 "
                                + "resp_size=198 user-agent=MIG Client cmd-0.unversioned",
                        "src=127.0.0.1 category=investigator auth=[authmissing -1] GET HTTP/1.1 /api/v1/dashboard?x=1 "
                                + "resp_code=401 resp_size=182 user-agent=curl/7.88.1"),
                logged);
    }

    /** The recorded rows: investigator root (id 1), the action and its signature, the agent, the command. */
    static void seed(ApiFixture api) throws Exception {
        long root = api.investigators.create(
                "root",
                FINGERPRINT,
                Resources.text("wire/investigator-pubkey.asc").getBytes(StandardCharsets.UTF_8),
                Permission.toMask(EnumSet.allOf(Permission.class)),
                Instant.parse("2026-11-28T18:56:48.512692Z"));
        assertEquals(1, root);
        JsonNode recorded = GoJson.tree(Resources.wire("07-action-poll-3.json"));
        Action action =
                GoJson.unmarshal(recorded.at("/collection/items/0/data/0/value").toString(), Action.class);
        new ActionStore(api.db.dataSource())
                .insert(
                        action,
                        List.of(new ActionStore.Signer(
                                root, action.pgpSignatures().get(0))));

        JsonNode agentJson = GoJson.tree(Resources.wire("15-agent.json")).at("/collection/items/0/data/0/value");
        Agent agent = GoJson.unmarshal(agentJson.toString(), Agent.class);
        try (Connection c = api.db.connection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO agents (id, "
                        + "name, queueloc, mode, version, pid, starttime, destructiontime, heartbeattime, refreshtime, status, "
                        + "environment, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json, ?::json)")) {
            ps.setLong(1, agent.id());
            ps.setString(2, agent.name());
            ps.setString(3, agent.queueLoc());
            ps.setString(4, agent.mode());
            ps.setString(5, agent.version());
            ps.setInt(6, agent.pid());
            ps.setObject(7, agent.startTime().atOffset(ZoneOffset.UTC));
            ps.setObject(8, Instant.parse("9998-01-11T11:11:11Z").atOffset(ZoneOffset.UTC));
            ps.setObject(9, agent.heartbeatTs().atOffset(ZoneOffset.UTC));
            ps.setObject(10, agent.refreshTs().atOffset(ZoneOffset.UTC));
            ps.setString(11, agent.status());
            ps.setString(12, GoJson.marshal(agent.environment()));
            ps.setString(13, GoJson.marshal(agent.tags()));
            ps.executeUpdate();
        }
        JsonNode cmdJson = GoJson.tree(Resources.wire("09-command.json")).at("/collection/items/0/data/0/value");
        Command cmd = GoJson.unmarshal(cmdJson.toString(), Command.class);
        new CommandStore(api.db.dataSource()).insertAll(List.of(cmd));
    }

    /** The error code is a fresh GenID on every answer. */
    static String withoutCode(String json) {
        return json.replaceAll("\"code\":\"\\d+\"", "\"code\":\"X\"");
    }

    /** The default after/before of a search are "now" -/+ 39600h, different on every run. */
    static String withoutSearchWindow(String json) {
        return json.replaceAll("\"(after|before)\":\"[^\"]+\"", "\"$1\":\"T\"");
    }
}

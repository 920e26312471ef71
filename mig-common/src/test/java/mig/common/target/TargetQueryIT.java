package mig.common.target;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiled targets run against PostgreSQL with MIG's {@code agents} and {@code commands} tables
 * (database/schema.sql) and select exactly the agents they should. One database per class.
 */
@ExtendWith(MigServices.class)
class TargetQueryIT {

    private static final String SCHEMA = """
            CREATE TABLE agents (id numeric NOT NULL PRIMARY KEY, name varchar(2048) NOT NULL,
              queueloc varchar(2048) NOT NULL, mode varchar(2048) NOT NULL, version varchar(2048) NOT NULL,
              pid integer NOT NULL, starttime timestamptz NOT NULL, destructiontime timestamptz,
              heartbeattime timestamptz NOT NULL, refreshtime timestamptz NOT NULL, status varchar(255),
              environment json, tags json, loadername varchar(2048));
            CREATE TABLE commands (id numeric NOT NULL PRIMARY KEY, actionid numeric NOT NULL,
              agentid numeric NOT NULL, status varchar(255) NOT NULL, results json,
              starttime timestamptz NOT NULL, finishtime timestamptz)""";

    private static final String AGENT = "INSERT INTO agents VALUES (?, ?, ?, ?, '20170308-0.06824ce0.dev', ?, "
            + "NOW() - ?::interval, NULL, NOW() - ?::interval, NOW(), ?, ?::json, ?::json, ?)";

    private static final String COMMAND = "INSERT INTO commands VALUES (?, ?, ?, 'success', ?::json, NOW(), NOW())";

    private static TestDatabase db;

    @BeforeAll
    static void createAgentsAndCommands(TestDatabase database) throws SQLException {
        db = database;
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute(SCHEMA);
            agent(
                    c,
                    1,
                    "web1.example.net",
                    "linux.web1",
                    "daemon",
                    100,
                    "1 day",
                    "0 seconds",
                    "online",
                    "{\"os\":\"linux\",\"arch\":\"amd64\",\"ident\":\"Ubuntu 16.04 xenial\",\"isproxied\":false,"
                            + "\"aws\":{\"instanceid\":\"i-0abc\"},\"addresses\":[\"10.0.0.5/24\",\"fe80::1/64\"]}",
                    "{\"operator\":\"IT\"}",
                    "loader-web1");
            agent(
                    c,
                    2,
                    "db1.example.net",
                    "linux.db1",
                    "daemon",
                    200,
                    "1 day",
                    "30 seconds",
                    "online",
                    "{\"os\":\"linux\",\"arch\":\"386\",\"ident\":\"CentOS release 6.5\",\"isproxied\":true}",
                    "{\"operator\":\"opsec\"}",
                    null);
            agent(
                    c,
                    3,
                    "mac1.example.net",
                    "darwin.mac1",
                    "checkin",
                    300,
                    "40 days",
                    "10 minutes",
                    "idle",
                    "{\"os\":\"darwin\",\"arch\":\"amd64\",\"ident\":\"macOS 10.12\"}",
                    "{\"operator\":\"IT\"}",
                    null);
            agent(
                    c,
                    4,
                    "win1.example.net",
                    "windows.win1",
                    "daemon",
                    400,
                    "3 days",
                    "2 days",
                    "offline",
                    "{\"os\":\"windows\"}",
                    "{\"operator\":\"IT\"}",
                    null);
            // One endpoint, two agent processes: DISTINCT ON (queueloc) returns it once.
            agent(
                    c,
                    5,
                    "dup.example.net",
                    "linux.dup",
                    "daemon",
                    500,
                    "1 day",
                    "0 seconds",
                    "online",
                    "{\"os\":\"linux\",\"ident\":\"Debian 9\"}",
                    "{}",
                    null);
            agent(
                    c,
                    6,
                    "dup.example.net",
                    "linux.dup",
                    "daemon",
                    501,
                    "1 hour",
                    "0 seconds",
                    "online",
                    "{\"os\":\"linux\",\"ident\":\"Debian 9\"}",
                    "{}",
                    null);
            command(c, 11, 1000, 1, "[{\"foundanything\":true,\"success\":true}]");
            command(c, 12, 1000, 2, "[{\"foundanything\":false,\"success\":true}]");
            command(c, 13, 1000, 3, "[{\"foundanything\":false},{\"foundanything\":true}]");
            command(c, 14, 1000, 4, "[{\"foundanything\":true}]");
            command(c, 21, 2000, 2, "[{\"foundanything\":true}]");
        }
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    /** Arguments: target, the names it selects in queueloc order. */
    static Stream<Arguments> targets() {
        List<String> allActive = List.of("mac1.example.net", "db1.example.net", "dup.example.net", "web1.example.net");
        return Stream.of(
                Arguments.of("status='online'", List.of("db1.example.net", "dup.example.net", "web1.example.net")),
                Arguments.of("status='online' OR status='idle'", allActive),
                Arguments.of(
                        "environment->>'os'='linux'",
                        List.of("db1.example.net", "dup.example.net", "web1.example.net")),
                Arguments.of("tags->>'operator'='IT'", List.of("mac1.example.net", "web1.example.net")),
                Arguments.of("tags#>>'{operator}'='opsec'", List.of("db1.example.net")),
                Arguments.of("environment->>'ident' ILIKE '%ubuntu%'", List.of("web1.example.net")),
                Arguments.of(
                        "heartbeattime > NOW() - interval '1 minute'",
                        List.of("db1.example.net", "dup.example.net", "web1.example.net")),
                Arguments.of("starttime < NOW() - INTERVAL '30 days'", List.of("mac1.example.net")),
                Arguments.of("heartbeattime > '2000-01-01T00:00:00Z' AND destructiontime IS NULL", allActive),
                Arguments.of("environment->'aws'->>'instanceid' = 'i-0abc'", List.of("web1.example.net")),
                Arguments.of("environment#>>'{aws,instanceid}' IS NOT NULL", List.of("web1.example.net")),
                Arguments.of("environment->'addresses'->>0 LIKE '10.%'", List.of("web1.example.net")),
                Arguments.of(
                        "queueloc LIKE 'linux.%' AND environment->>'isproxied' = 'true'", List.of("db1.example.net")),
                Arguments.of(
                        "environment->>'os' IN ('linux', 'darwin') AND environment->>'arch' NOT IN ('386')",
                        List.of("mac1.example.net", "web1.example.net")),
                Arguments.of(
                        "id IN (1, 3) OR pid >= 450 AND pid < 600",
                        List.of("mac1.example.net", "dup.example.net", "web1.example.net")),
                Arguments.of("id = '2' OR name ~* '^MAC'", List.of("mac1.example.net", "db1.example.net")),
                Arguments.of(
                        "mode != 'daemon' OR loadername IS NOT NULL", List.of("mac1.example.net", "web1.example.net")),
                Arguments.of("NOT (environment->>'os' = 'linux')", List.of("mac1.example.net")),
                Arguments.of(
                        new Target.FoundInAction(1000, true).goClientText(),
                        List.of("mac1.example.net", "web1.example.net")),
                Arguments.of(
                        new Target.FoundInAction(1000, false).goClientText(),
                        List.of("mac1.example.net", "db1.example.net")),
                Arguments.of(
                        new Target.FoundInAction(2000, true).goClientText() + " AND status='online'",
                        List.of("db1.example.net")),
                Arguments.of(
                        "id NOT IN (SELECT agentid FROM commands, json_array_elements(commands.results) AS r "
                                + "WHERE commands.actionid = 1000 AND r#>>'{foundanything}' = 'true')",
                        List.of("db1.example.net", "dup.example.net")),
                Arguments.of("TRUE", allActive),
                Arguments.of("FALSE", List.of()),
                Arguments.of("name='x'' OR 1=1 --'", List.of()),
                Arguments.of("name='web1.example.net''; DELETE FROM agents; --'", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void selectsExactlyTheExpectedAgents(String target, List<String> names) throws SQLException {
        assertEquals(names, select(target));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("mig.common.target.DocumentedTargets#all")
    void runsEveryDocumentedTargetWithoutASqlError(String source, String target) throws SQLException {
        select(target);
    }

    @Test
    void leavesTheTablesUntouchedAfterInjectionLikeLiterals() throws SQLException {
        select("name='x'' OR 1=1 --'");
        select("name='web1.example.net''; DELETE FROM agents; --'");
        select("environment->>'os''; DROP TABLE commands; --' = 'x'");
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet agents =
                        s.executeQuery("SELECT (SELECT count(*) FROM agents), (SELECT count(*) FROM commands)")) {
            agents.next();
            assertEquals(6, agents.getInt(1));
            assertEquals(5, agents.getInt(2));
        }
    }

    private static List<String> select(String target) throws SQLException {
        SqlFragment query = TargetQuery.agentsSql(target);
        List<String> names = new ArrayList<>();
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(query.sql())) {
            query.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString("name"));
                }
            }
        }
        return names;
    }

    private static void agent(
            Connection c,
            long id,
            String name,
            String queueloc,
            String mode,
            int pid,
            String startedAgo,
            String heartbeatAgo,
            String status,
            String env,
            String tags,
            String loader)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(AGENT)) {
            ps.setLong(1, id);
            ps.setString(2, name);
            ps.setString(3, queueloc);
            ps.setString(4, mode);
            ps.setInt(5, pid);
            ps.setString(6, startedAgo);
            ps.setString(7, heartbeatAgo);
            ps.setString(8, status);
            ps.setString(9, env);
            ps.setString(10, tags);
            ps.setString(11, loader);
            ps.executeUpdate();
        }
    }

    private static void command(Connection c, long id, long actionId, long agentId, String results)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COMMAND)) {
            ps.setLong(1, id);
            ps.setLong(2, actionId);
            ps.setLong(3, agentId);
            ps.setString(4, results);
            ps.executeUpdate();
        }
    }
}

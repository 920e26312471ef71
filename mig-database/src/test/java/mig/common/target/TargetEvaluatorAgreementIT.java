package mig.common.target;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mig.common.Agent;
import mig.common.AgentEnv;
import mig.common.AgentEnvAws;
import mig.common.Heartbeat;
import mig.database.AgentStore;
import mig.database.DbConfig;
import mig.database.MigDatabase;
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
 * The agent-side target check agrees with PostgreSQL: agents are recorded through the API's
 * {@link AgentStore#heartbeat} from the heartbeats they send, every documented target (and a few
 * more forms) is run by {@link AgentStore#targeted}, and for each agent the evaluator, fed the
 * facts that agent has of itself, must never refuse a selected agent; it may answer TRUE only for
 * selected agents, FALSE only for agents left out.
 */
@ExtendWith(MigServices.class)
class TargetEvaluatorAgreementIT {

    /** Targets beyond the documented ones: every operator on the columns the agent knows. */
    static Stream<Arguments> more() {
        return Stream.of(
                        "name='other-host'",
                        "name <> 'myserver.example.net'",
                        "pid = 4242",
                        "pid >= '5000'",
                        "pid IN (4242, 1)",
                        "pid NOT IN (4242)",
                        "queueloc NOT LIKE 'linux.%'",
                        "mode IN ('checkin')",
                        "status='offline'",
                        "status='idle'",
                        "status IN ('online','idle')",
                        "NOT status='online'",
                        "environment->>'missing' = 'x'",
                        "NOT (environment->>'missing' = 'x')",
                        "environment->>'missing' IS NULL",
                        "environment->'addresses'->>0 LIKE '10.%'",
                        "environment#>>'{addresses,1}' = 'fe80::1/64'",
                        "environment->'aws' IS NOT NULL",
                        "environment->>'isproxied' = 'false'",
                        "tags->>'operator' IS NULL",
                        "tags#>>'{operator}' NOT IN ('IT')",
                        "name ~ '^db'",
                        "name ~* 'EXAMPLE'",
                        "name !~ 'net$'",
                        "name ILIKE 'MAC%'",
                        "name LIKE 'web\\_%'",
                        "name = 'x' OR id > 0",
                        "name = 'x' AND id > 0",
                        "NOT (id > 0)",
                        "loadername IS NULL AND name LIKE 'web%'",
                        "heartbeattime > NOW() - interval '1 minute' AND environment->>'os' = 'plan9'",
                        "'a' = 'a' AND version LIKE '2014%'",
                        "TRUE",
                        "FALSE",
                        "name > 'm'",
                        "id IN (select agentid from commands, json_array_elements(commands.results) as r where actionid=1 "
                                + "and r#>>'{foundanything}' = 'true') OR name = 'other-host'")
                .map(t -> Arguments.of("extra", t));
    }

    static Stream<Arguments> targets() {
        return Stream.concat(DocumentedTargets.all(), more());
    }

    private static MigDatabase db;
    private static AgentStore agents;
    private static final List<Agent> SENT = new ArrayList<>();

    @BeforeAll
    static void recordHeartbeats(TestDatabase tdb) throws Exception {
        db = MigDatabase.open(DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 2), "test")
                .migrate();
        agents = new AgentStore(db.dataSource());
        agent(
                "myserver.example.net",
                "linux.fe11c6d3a1d27bd7b2e6fb51d87c94ea",
                "daemon",
                4242,
                env("linux", "amd64", "Ubuntu 12.04 precise", false, List.of("10.0.0.5/24", "fe80::1/64")),
                Map.of("operator", "IT"));
        agent(
                "db1.buildbot.scl3.mozilla.com",
                "darwin.db1",
                "daemon",
                100,
                env("darwin", "amd64", "Mac OS X 10.10", true, List.of()),
                Map.of("operator", "opsec"));
        agent(
                "mac1.phx1.example.net",
                "darwin.mac1",
                "checkin",
                7000,
                env("darwin", "386", "macOS 10.12", false, List.of("192.168.1.2/24")),
                Map.of());
        agent(
                "web_1.mysql.example.net",
                "linux.web1",
                "daemon",
                301,
                env("linux", "386", "CentOS release 6.5", true, List.of("10.1.1.1/8")),
                Map.of("operator", "IT"));
        agent(
                "mig-api1.example.net",
                "linux.api1",
                "daemon",
                302,
                env("linux", "amd64", "Red Hat 6.5", false, null),
                Map.of("operator", "opsec"));
        agent(
                "somehost.example.net",
                "windows.some",
                "daemon",
                303,
                env("windows", "amd64", "Windows Server 2012", false, List.of("10.2.2.2/16")),
                Map.of("team", "x"));
        agent(
                "amazon.example.net",
                "linux.amz",
                "checkin",
                304,
                env("linux", "amd64", "Amazon Linux AMI 2015.03", false, List.of()),
                null);
        // The scheduler's status job marks agents with late heartbeats idle; they are still targeted.
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("UPDATE agents SET status = 'idle' WHERE queueloc = ?")) {
            ps.setString(1, "linux.amz");
            ps.executeUpdate();
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static AgentEnv env(String os, String arch, String ident, boolean proxied, List<String> addresses) {
        return new AgentEnv(
                "systemd",
                ident,
                os,
                arch,
                proxied,
                "",
                addresses,
                "203.0.113.9",
                AgentEnvAws.EMPTY,
                List.of("file", "netstat"));
    }

    private static void agent(
            String name, String queueLoc, String mode, long pid, AgentEnv env, Map<String, String> tags) {
        Agent sent = Heartbeat.of(
                        name,
                        env,
                        mode,
                        "201409171023+c4d6f50.prod",
                        pid,
                        queueLoc,
                        Instant.now(),
                        Instant.now(),
                        tags == null ? Map.of() : tags)
                .toAgent();
        agents.heartbeat(sent, Instant.now());
        SENT.add(sent);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("targets")
    void neverRefusesAnAgentPostgresqlSelectsAndIsSureOnlyWhenRight(String source, String target) {
        Set<String> selected =
                agents.targeted(target, 0).stream().map(Agent::queueLoc).collect(Collectors.toSet());
        for (Agent a : SENT) {
            TargetEvaluator.Verdict v = TargetEvaluator.evaluate(target, TargetFacts.of(a));
            if (selected.contains(a.queueLoc())) {
                assertNotEquals(TargetEvaluator.Verdict.FALSE, v, a.name() + " is selected by PostgreSQL");
            } else {
                assertNotEquals(TargetEvaluator.Verdict.TRUE, v, a.name() + " is not selected by PostgreSQL");
            }
        }
    }

    @Test
    void refusesMostAgentsLeftOutByTheDocumentedTargets() {
        int leftOut = 0;
        int sure = 0;
        for (Arguments args : DocumentedTargets.all().toList()) {
            String target = (String) args.get()[1];
            Set<String> selected =
                    agents.targeted(target, 0).stream().map(Agent::queueLoc).collect(Collectors.toSet());
            for (Agent a : SENT) {
                if (!selected.contains(a.queueLoc())) {
                    leftOut++;
                    if (TargetEvaluator.evaluate(target, TargetFacts.of(a)) == TargetEvaluator.Verdict.FALSE) {
                        sure++;
                    }
                }
            }
        }
        System.out.printf(
                "documented targets: %d agent/target pairs left out by PostgreSQL, %d refused by the agent%n",
                leftOut, sure);
        assertTrue(sure * 2 > leftOut, sure + " of " + leftOut + " left-out pairs refused");
    }
}

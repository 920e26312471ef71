package mig.common.target;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import mig.common.Agent;
import mig.common.AgentEnv;
import mig.common.AgentEnvAws;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The agent-side verdicts on one agent's facts; agreement with PostgreSQL is shown in mig-database. */
class TargetEvaluatorTest {

    private static final TargetFacts WEB1 = TargetFacts.of(new Agent(
            0,
            "web1.example.net",
            "linux.web1",
            Agent.MODE_DAEMON,
            "20170308-0.06824ce0.dev",
            4242,
            "",
            null,
            null,
            null,
            null,
            Agent.STATUS_ONLINE,
            false,
            new AgentEnv(
                    "systemd",
                    "Ubuntu 16.04 xenial",
                    "linux",
                    "amd64",
                    false,
                    "",
                    List.of("10.0.0.5/24"),
                    "203.0.113.9",
                    AgentEnvAws.EMPTY,
                    List.of("file")),
            Map.of("operator", "IT")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            name='other-host'                                         | FALSE
            name='web1.example.net'                                   | TRUE
            NAME = 'WEB1.example.net'                                 | FALSE
            agents.queueloc LIKE 'linux.%'                            | TRUE
            queueloc='linux.someone-else'                             | FALSE
            pid = 4242 AND mode = 'daemon'                            | TRUE
            pid <> '4242'                                             | FALSE
            version = '20170308-0.06824ce0.dev'                       | TRUE
            environment->>'os' IN ('darwin', 'windows')               | FALSE
            environment->>'isproxied' = 'false'                       | TRUE
            environment->'addresses'->>0 LIKE '10.%'                  | TRUE
            environment->>'publicip' = '203.0.113.9'                  | TRUE
            tags#>>'{operator}' = 'opsec'                             | FALSE
            environment->>'nosuchkey' = 'x'                           | FALSE
            NOT (environment->>'nosuchkey' = 'x')                     | FALSE
            environment->>'nosuchkey' IS NULL                         | TRUE
            status = 'online'                                         | UNKNOWN
            status = 'online' OR status = 'idle'                      | TRUE
            status = 'offline'                                        | FALSE
            status IN ('online', 'idle')                              | TRUE
            loadername = 'x'                                          | UNKNOWN
            heartbeattime > NOW() - interval '1 minute'               | UNKNOWN
            NOT (id = 5)                                              | UNKNOWN
            id = 5 AND name = 'other-host'                            | FALSE
            id = 5 OR name = 'web1.example.net'                       | TRUE
            id = 5 OR name = 'other-host'                             | UNKNOWN
            name ~* '^WEB1'                                           | TRUE
            name ~ '^(db.mac)'                                        | UNKNOWN
            name > 'a'                                                | UNKNOWN
            name LIKE 'web1%' AND NOT (environment->>'os' = 'linux')  | FALSE
            this is not a target                                      | UNKNOWN
            """)
    void decidesFromTheAgentsOwnFacts(String target, TargetEvaluator.Verdict expected) {
        assertEquals(expected, TargetEvaluator.evaluate(target, WEB1));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            name='other-host'                    | UNKNOWN
            environment->>'os' = 'windows'       | UNKNOWN
            queueloc='linux.someone-else'        | FALSE
            """)
    void knowsOnlyItsQueueBeforeTheFirstLookAtTheHost(String target, TargetEvaluator.Verdict expected) {
        assertEquals(expected, TargetEvaluator.evaluate(target, TargetFacts.partial("linux.web1", "daemon", "v", 1)));
    }
}

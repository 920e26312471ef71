package mig.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.common.json.GoTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our records read and write MIG's JSON exactly as the original's Go code did (recorded vectors). */
class WireRecordsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "command-09.json",
                "toagents-0.json",
                "toagents-1.json",
                "toagents-2.json",
                "toagents-3.json",
                "toschedulers-0.json"
            })
    void commandsRoundTripByteForByte(String file) {
        String recorded = Resources.text("wire/" + file);
        Command cmd = GoJson.unmarshal(recorded, Command.class);
        assertEquals(recorded, GoJson.marshal(cmd));
    }

    @ParameterizedTest
    @ValueSource(strings = {"action-completed-07.json", "action-poll-07-1.json"})
    void actionsFromTheApiRoundTripByteForByte(String file) {
        String recorded = Resources.text("wire/" + file);
        assertEquals(recorded, GoJson.marshal(GoJson.unmarshal(recorded, Action.class)));
    }

    @Test
    void agentFromTheApiRoundTripsByteForByte() {
        String recorded = Resources.text("wire/agent-15.json");
        Agent agent = GoJson.unmarshal(recorded, Agent.class);
        assertEquals("vm", agent.name());
        assertEquals(12338, agent.pid());
        assertEquals("Debian 12 bookworm", agent.environment().ident());
        assertEquals(recorded, GoJson.marshal(agent));
    }

    @Test
    void completedActionCarriesInvestigatorsAndCounters() {
        Action a = GoJson.unmarshal(Resources.text("wire/action-completed-07.json"), Action.class);
        assertEquals(28090946682984L, a.id());
        assertEquals(Action.STATUS_COMPLETED, a.status());
        assertEquals(new ActionCounters(1, 1, 0, 1, 0, 0, 0, 0), a.counters());
        Investigator root = a.investigators().get(0);
        assertEquals("D903231F7344F6E566A76688DE59C102AF729558", root.pgpFingerprint());
        assertEquals((1L << 19) - 1, root.permissions().toMask());
    }

    @Test
    void unsignedClientActionReadsWithZeroTimes() {
        Action a = GoJson.unmarshal(Resources.text("wire/05-action-unsigned.json"), Action.class);
        assertEquals(GoTime.ZERO, a.startTime());
        assertEquals(List.of(), a.pgpSignatures());
        assertEquals(Description.EMPTY, a.description());
        assertEquals(2, a.syntaxVersion());
    }

    @Test
    void zeroValuesAreWrittenTheGoWay() {
        String json = GoJson.marshal(Action.EMPTY);
        assertEquals(
                "{\"id\":0,\"name\":\"\",\"target\":\"\",\"description\":{},\"threat\":{},"
                        + "\"validfrom\":\"0001-01-01T00:00:00Z\",\"expireafter\":\"0001-01-01T00:00:00Z\","
                        + "\"operations\":null,\"pgpsignatures\":null,\"starttime\":\"0001-01-01T00:00:00Z\","
                        + "\"finishtime\":\"0001-01-01T00:00:00Z\",\"lastupdatetime\":\"0001-01-01T00:00:00Z\","
                        + "\"counters\":{}}",
                json);
        assertEquals(
                "{\"foundanything\":false,\"success\":false,\"elements\":null,\"statistics\":null,"
                        + "\"errors\":null}",
                GoJson.marshal(ModuleResult.EMPTY));
    }

    @Test
    void keysAreMatchedCaseInsensitivelyLikeGo() {
        Action a = GoJson.unmarshal(
                "{\"NAME\":\"x\",\"Target\":\"status='online'\",\"SyntaxVersion\":2,"
                        + "\"ValidFrom\":\"2020-01-01T00:00:00+01:00\"}",
                Action.class);
        assertEquals("x", a.name());
        assertEquals("status='online'", a.target());
        assertEquals(2, a.syntaxVersion());
        assertEquals(Instant.parse("2019-12-31T23:00:00Z"), a.validFrom());
    }

    @Test
    void unknownKeysAreIgnoredAndNullsBecomeZeroValues() {
        Agent agent = GoJson.unmarshal(
                "{\"name\":null,\"bogus\":[1,2],\"environment\":null," + "\"starttime\":null}", Agent.class);
        assertEquals("", agent.name());
        assertEquals(GoTime.ZERO, agent.startTime());
        assertFalse(agent.environment().isProxied());
        assertNull(agent.tags());
    }

    @Test
    void badInputGetsAClearError() {
        GoJsonException wrongType =
                assertThrows(GoJsonException.class, () -> GoJson.unmarshal("{\"id\":\"seven\"}", Action.class));
        assertTrue(wrongType.getMessage().contains("invalid Action JSON"), wrongType.getMessage());
        GoJsonException badTime = assertThrows(
                GoJsonException.class, () -> GoJson.unmarshal("{\"validfrom\":\"yesterday\"}", Action.class));
        assertTrue(badTime.getMessage().contains("RFC 3339"), badTime.getMessage());
        assertThrows(GoJsonException.class, () -> GoJson.unmarshal("{\"name\":", Action.class));
        assertThrows(GoJsonException.class, () -> GoJson.unmarshal("{} {}", Action.class));
        GoJsonException numberAsString =
                assertThrows(GoJsonException.class, () -> GoJson.unmarshal("{\"status\":42}", Action.class));
        assertTrue(numberAsString.getMessage().contains("invalid Action JSON"), numberAsString.getMessage());
        assertThrows(GoJsonException.class, () -> GoJson.unmarshal("{\"name\":true}", Agent.class));
        assertThrows(GoJsonException.class, () -> GoJson.unmarshal("{\"pid\":\"12\"}", Agent.class));
        assertEquals(
                "invalid Agent JSON: expected an object, got null",
                assertThrows(GoJsonException.class, () -> GoJson.unmarshal("null  ", Agent.class))
                        .getMessage());
        GoJsonException fractionalId =
                assertThrows(GoJsonException.class, () -> GoJson.unmarshal("{\"id\":1.5}", Command.class));
        assertTrue(fractionalId.getMessage().contains("1.5"), fractionalId.getMessage());
    }

    @Test
    void countersFollowTheOriginalsArithmetic() {
        ActionCounters c =
                ActionCounters.fromStatusCounts(java.util.Map.of("sent", 2, "success", 3, "timeout", 1, "expired", 1));
        assertEquals(7, c.sent());
        assertEquals(5, c.done());
        assertEquals("7 sent, 5 done, 2 inflight, 3 succeeded, 1 expired, 1 timed out", c.summary());
        assertEquals(
                "{\"sent\":7,\"done\":5,\"inflight\":2,\"success\":3,\"expired\":1,\"timeout\":1}", GoJson.marshal(c));
    }

    @Test
    void permissionBitsFollowTheOriginalsOrder() {
        assertEquals(8192, Permission.MANIFEST_NEW.bit());
        assertEquals(16384, Permission.MANIFEST_STATUS.bit());
        assertEquals(63, Permission.toMask(Permission.DEFAULT));
        InvestigatorPerms p = InvestigatorPerms.fromMask(63 | Permission.MANIFEST_NEW.bit());
        assertTrue(p.manifestNew());
        assertFalse(p.manifestStatus());
        assertEquals(63 | 8192, p.toMask());
    }
}

package mig.modules.netstat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import org.junit.jupiter.api.Test;

/** The original's printed lines, from recorded and hand-made results; extra privacy masking. */
class NetstatPrinterTest {

    private final NetstatModule module = new NetstatModule();

    @Test
    void printsTheRecordedInvestigationLineForLine() throws IOException {
        ModuleResult result = GoJson.unmarshal(resource("inv3-result.json"), ModuleResult.class);
        List<String> recorded = resource("inv3-netstat.stdout")
                .lines()
                .map(l -> l.substring("vm ".length()))
                .filter(l -> !l.equals("command success")) // the client's own line, not the module's
                .toList();
        assertEquals(recorded, module.printResults(result, false));
    }

    @Test
    void foundOnlyModeLeavesOutMissesErrorsAndStatistics() throws IOException {
        ModuleResult result = GoJson.unmarshal(resource("inv3-result.json"), ModuleResult.class);
        List<String> lines = module.printResults(result, true);
        assertEquals(22, lines.size());
        assertTrue(
                lines.stream().allMatch(l -> l.equals("found listening port 1664 for netstat listeningport:'1664'")));
    }

    @Test
    void printsEveryKindInTheOriginalsOrderWithNamespacesAndErrors() {
        ModuleResult result = GoJson.unmarshal("""
                {"foundanything":true,"success":true,"elements":{
                 "connectedip":{"10.0.0.0/8":[{"localaddr":"10.0.0.2","localport":22,"remoteaddr":"10.0.0.3",
                   "remoteport":54321,"namespace":"net:[4026531840]"}]},
                 "listeningport":{"22":[{"localaddr":"::","localport":22,"namespace":"default"}]},
                 "localip":{"127.0.0.1":[{"localaddr":"127.0.0.1"}],"192.0.2.9":null},
                 "localmac":{"^8c:70":[{"localmacaddr":"8c:70:5a:aa:bb:cc"}],"^00:11":null},
                 "neighborip":{"10.0.0.1":[{"remoteaddr":"10.0.0.1","remotemacaddr":"8c:70:5a:12:34:56",
                   "namespace":"default"}]},
                 "neighbormac":{"^8c":[{"remoteaddr":"10.0.0.1","remotemacaddr":"8c:70:5a:12:34:56",
                   "namespace":"default"}]}},
                 "statistics":{"examined":12,"exectime":"1.2ms","totalhits":6},
                 "errors":["cannot read /proc/net/udp6: no such file"]}""", ModuleResult.class);
        assertEquals(
                List.of(
                        "did not find anything for netstat localmac:'^00:11'",
                        "found local mac 8c:70:5a:aa:bb:cc for netstat localmac:'^8c:70'",
                        "found neighbor mac 8c:70:5a:12:34:56 10.0.0.1 for netstat neighbormac:'^8c'",
                        "found neighbor IP 10.0.0.1 8c:70:5a:12:34:56 for netstat neighborIP:'10.0.0.1'",
                        "found local ip 127.0.0.1 for netstat localip:'127.0.0.1'",
                        "did not find anything for netstat localip:'192.0.2.9'",
                        "found connected tuple 10.0.0.3:54321 with local tuple 10.0.0.2:22 for netstat connectedip:'10.0.0.0/8'"
                                + " namespace:[net:[4026531840]]",
                        "found listening port 22 for netstat listeningport:'22'",
                        "error: cannot read /proc/net/udp6: no such file",
                        "Statistics: total hits 6 examined 12 items exectime 1.2ms"),
                module.printResults(result, false));
    }

    @Test
    void aFailedRunPrintsItsErrorAndEmptyStatistics() {
        ModuleResult failed = ModuleResult.error("listeningport: port 70000 out of range: must be between 0 and 65535");
        assertEquals(
                List.of(
                        "error: listeningport: port 70000 out of range: must be between 0 and 65535",
                        "Statistics: total hits 0 examined 0 items exectime "),
                module.printResults(failed, false));
    }

    @Test
    void extraPrivacyMasksThePeersOfConnectionsOnly() {
        ModuleResult result = GoJson.unmarshal("""
                {"foundanything":true,"success":true,"elements":{
                 "connectedip":{"10.0.0.0/8":[{"localaddr":"10.0.0.2","localport":22,"remoteaddr":"10.0.0.3",
                   "remoteport":54321,"namespace":"default"}]},
                 "neighborip":{"10.0.0.1":[{"remoteaddr":"10.0.0.1","remotemacaddr":"8c:70:5a:12:34:56"}]}},
                 "statistics":{"examined":3,"exectime":"1ms","totalhits":2},"errors":null}""", ModuleResult.class);
        ModuleResult masked = module.enhancePrivacy(result);
        assertEquals(
                "masked",
                masked.elements().at("/connectedip/10.0.0.0~18/0/remoteaddr").asText());
        assertEquals(
                "10.0.0.1",
                masked.elements().at("/neighborip/10.0.0.1/0/remoteaddr").asText());
        assertEquals(
                "10.0.0.3",
                result.elements().at("/connectedip/10.0.0.0~18/0/remoteaddr").asText(),
                "the input is not changed");
        assertFalse(module.printResults(masked, true).get(0).contains("10.0.0.3"));
        ModuleResult nothing = ModuleResult.error("x");
        assertEquals(nothing, module.enhancePrivacy(nothing));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = NetstatPrinterTest.class.getResourceAsStream("/netstat/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

package mig.modules.timedrift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.ParameterException;
import mig.modules.RunContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** timedrift against an NTP responder the test runs on loopback, and the original's recorded outputs. */
class TimedriftTest {

    private static final String DIR = "/golden/timedrift/";
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)";
    private static final String DURATION = "-?[0-9.]+(ns|µs|ms|s|m|h)([0-9.]+(m|s))*";

    @TempDir
    Path tmp;

    private DatagramSocket responder;

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
    }

    /** Answers every request with a server time {@code offset} away from this machine's, like ntpd (mode 4). */
    private int startResponder(Duration offset) throws IOException {
        responder = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        DatagramSocket s = responder;
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[48];
                    while (!s.isClosed()) {
                        try {
                            DatagramPacket req = new DatagramPacket(buf, buf.length);
                            s.receive(req);
                            Instant now = Instant.now().plus(offset);
                            long secs = now.getEpochSecond() + 2_208_988_800L;
                            long frac = ((long) now.getNano() << 32) / 1_000_000_000L + 1;
                            byte[] out = new byte[48];
                            out[0] = 0x24;
                            for (int i = 0; i < 4; i++) {
                                out[40 + i] = (byte) (secs >>> (24 - 8 * i));
                                out[44 + i] = (byte) (frac >>> (24 - 8 * i));
                            }
                            s.send(new DatagramPacket(out, 48, req.getSocketAddress()));
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "ntp-responder");
        t.setDaemon(true);
        t.start();
        return s.getLocalPort();
    }

    private Path ntpConf(String text) throws IOException {
        Path p = tmp.resolve("ntp.conf");
        Files.writeString(p, text);
        return p;
    }

    private static RunContext context() {
        return RunContext.withTimeout(Duration.ofMinutes(2));
    }

    private static JsonNode params(String drift) {
        return GoJson.tree("{\"drift\":\"" + drift + "\"}");
    }

    static String resource(String name) {
        try (InputStream in = TimedriftTest.class.getResourceAsStream(DIR + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aServerOfNtpConfAnsweringInTimeIsWithinTheDrift() throws IOException {
        int port = startResponder(Duration.ZERO);
        TimedriftModule m = new TimedriftModule(
                ntpConf("# ntpd\nserver 127.0.0.1 iburst\npool 2.debian.pool.ntp.org\n"), List.of(), port);
        ModuleResult r = m.run(params("5s"), context());
        assertTrue(r.success(), String.valueOf(r.errors()));
        assertFalse(r.foundAnything());
        JsonNode el = GoJson.tree(GoJson.marshal(r.elements()));
        assertTrue(el.get("hascheckeddrift").asBoolean());
        assertTrue(el.get("iswithindrift").asBoolean());
        assertTrue(el.get("localtime").asText().matches(TIME), el.toString());
        JsonNode st = GoJson.tree(GoJson.marshal(r.statistics())).get("ntpstats");
        assertEquals(1, st.size());
        assertEquals("127.0.0.1", st.get(0).get("host").asText());
        assertTrue(st.get(0).get("reachable").asBoolean());
        assertTrue(st.get(0).get("latency").asText().matches(DURATION), st.toString());
        List<String> lines = m.printResults(r, false);
        assertEquals("local time is within acceptable drift from NTP servers", lines.get(1));
        assertTrue(
                lines.get(3)
                        .matches("stat: 127\\.0\\.0\\.1 responded in " + DURATION
                                + " with time \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)? \\+0000 UTC\\. local time drifts by "
                                + DURATION),
                lines.get(3));
        assertEquals("timedrift module has succeeded", lines.get(4));
    }

    @Test
    void aServerAnHourAheadIsReportedAsOutOfSync() throws IOException {
        int port = startResponder(Duration.ofHours(1));
        TimedriftModule m = new TimedriftModule(ntpConf("server 127.0.0.1\n"), List.of(), port);
        ModuleResult r = m.run(params("30s"), context());
        assertTrue(r.foundAnything());
        assertTrue(r.success());
        List<String> found = m.printResults(r, true);
        assertEquals(3, found.size(), found.toString());
        assertEquals("local time is out of sync from NTP servers", found.get(1));
        assertTrue(
                found.get(2).matches("Local time is behind ntp host 127\\.0\\.0\\.1 by 59m59\\.\\d+s"), found.get(2));
    }

    @Test
    void withoutNetworkEveryServerIsUnreachableAsTheOriginalRecorded() throws IOException {
        // the original's pool, asked on a loopback port nobody answers: unreachable with or without DNS
        DatagramSocket closed = new DatagramSocket(0);
        int port = closed.getLocalPort();
        closed.close();
        Path missing = tmp.resolve("ntp.conf");
        TimedriftModule m = new TimedriftModule(missing, TimedriftModule.BACKUP_POOL, port);
        ModuleResult r = m.run(params("5s"), context());
        JsonNode expected =
                GoJson.tree(resource("unreachable.result.json").replace("/etc/ntp.conf", missing.toString()));
        JsonNode ours = GoJson.tree(GoJson.marshal(r));
        assertTrue(ours.at("/elements/localtime").asText().matches(TIME));
        assertTrue(ours.at("/statistics/exectime").asText().matches(DURATION));
        assertEquals(withoutTimes(expected), withoutTimes(ours));
        String norm = "\"localtime\":\"[^\"]*\"|\"exectime\":\"[^\"]*\"";
        assertEquals(
                resource("unreachable.result.json")
                        .replace("/etc/ntp.conf", missing.toString())
                        .strip()
                        .replaceAll(norm, "T"),
                GoJson.marshal(r).replaceAll(norm, "T"),
                "the original's bytes, field order included");
        List<String> pretty = resource("unreachable.pretty")
                .replace("/etc/ntp.conf", missing.toString())
                .lines()
                .toList();
        List<String> lines = m.printResults(r, false);
        assertEquals(pretty.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (i == 0 || i == 3) {
                assertEquals(
                        pretty.get(i).replaceAll(TIME + "|" + DURATION + "$", "T"),
                        lines.get(i).replaceAll(TIME + "|" + DURATION + "$", "T"));
            } else {
                assertEquals(pretty.get(i), lines.get(i));
            }
        }
    }

    @Test
    void withoutDriftOnlyTheLocalTimeIsReturned() {
        TimedriftModule m = new TimedriftModule();
        ModuleResult r = m.run(GoJson.tree("{}"), context());
        JsonNode expected = GoJson.tree(resource("nodrift.result.json"));
        assertEquals(withoutTimes(expected), withoutTimes(GoJson.tree(GoJson.marshal(r))));
        List<String> lines = m.printResults(r, false);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).matches("local time is " + TIME));
        assertEquals("timedrift module has succeeded", lines.get(2));
    }

    @Test
    void everyBadParametersDocumentGetsTheOriginalsResult() {
        List<String> docs = resource("bad-parameters.jsonl").lines().toList();
        assertEquals(7, docs.size());
        for (String line : docs) {
            JsonNode rec = GoJson.tree(line);
            ModuleResult r = new TimedriftModule().run(rec.get("parameters"), context());
            assertEquals(rec.get("result"), GoJson.tree(GoJson.marshal(r)), line);
        }
    }

    @Test
    void flagsAndHelpAreTheOriginals() throws ParameterException {
        TimedriftModule m = new TimedriftModule();
        assertEquals(resource("help.stdout"), m.help());
        assertEquals("{\"drift\":\"\"}", GoJson.marshal(m.parseArgs(List.of())));
        assertEquals("{\"drift\":\"1m30s\"}", GoJson.marshal(m.parseArgs(List.of("-drift", "1m30s"))));
        assertEquals(
                "invalid drift duration. try help.",
                assertThrows(ParameterException.class, () -> m.parseArgs(List.of("-drift", "x")))
                        .getMessage());
        assertEquals(
                "flag needs an argument: -drift",
                assertThrows(ParameterException.class, () -> m.parseArgs(List.of("-drift")))
                        .getMessage());
        assertEquals(
                "flag provided but not defined: -bogus",
                assertThrows(ParameterException.class, () -> m.parseArgs(List.of("-bogus", "1")))
                        .getMessage());
    }

    private static JsonNode withoutTimes(JsonNode result) {
        ObjectNode c = result.deepCopy();
        if (c.get("elements").isObject()) {
            ((ObjectNode) c.get("elements")).remove("localtime");
        }
        if (c.get("statistics").isObject()) {
            ((ObjectNode) c.get("statistics")).remove("exectime");
        }
        return c;
    }
}

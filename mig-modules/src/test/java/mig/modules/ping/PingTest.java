package mig.modules.ping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.ParameterException;
import mig.modules.RunContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ping against listeners the test runs on loopback (a TCP port that accepts, a UDP port that never
 * answers, a UDP echo, a closed port), compared with the original's recorded outputs for the same
 * parameters (its ports 47001, 47002, 47003 and 47009 stand for the test's).
 */
class PingTest {

    private static final String DIR = "/golden/ping/";

    private ServerSocket tcpOpen;
    private DatagramSocket udpSilent;
    private DatagramSocket udpEcho;
    private int closed;
    private final List<Thread> threads = new ArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        tcpOpen = new ServerSocket(0, 50, lo);
        udpSilent = new DatagramSocket(new InetSocketAddress(lo, 0));
        udpEcho = new DatagramSocket(new InetSocketAddress(lo, 0));
        try (ServerSocket s = new ServerSocket(0, 1, lo);
                DatagramSocket d = new DatagramSocket(s.getLocalPort(), lo)) {
            closed = s.getLocalPort(); // free on TCP and UDP once both are closed
        }
        daemon(() -> {
            while (!tcpOpen.isClosed()) {
                try (Socket c = tcpOpen.accept()) {
                    // accepted: the ping has connected
                } catch (IOException e) {
                    return;
                }
            }
        });
        daemon(() -> {
            byte[] buf = new byte[1500];
            while (!udpEcho.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    udpEcho.receive(p);
                    udpEcho.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void daemon(Runnable r) {
        Thread t = new Thread(r, "ping-test-listener");
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    @AfterEach
    void stop() throws IOException {
        tcpOpen.close();
        udpSilent.close();
        udpEcho.close();
    }

    /** The recorded text with the original's ports replaced by the test's. */
    private String ports(String recorded) {
        return recorded.replace("47001", Integer.toString(tcpOpen.getLocalPort()))
                .replace("47002", Integer.toString(udpSilent.getLocalPort()))
                .replace("47003", Integer.toString(udpEcho.getLocalPort()))
                .replace("47009", Integer.toString(closed));
    }

    static String resource(String name) {
        try (InputStream in = PingTest.class.getResourceAsStream(DIR + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RunContext context() {
        return RunContext.withTimeout(Duration.ofMinutes(2));
    }

    /** A measured latency becomes "ms": the run-to-run part; timeout, refused and failed stay as recorded. */
    private static JsonNode shape(JsonNode result) {
        ObjectNode c = result.deepCopy();
        JsonNode lat = c.path("elements").path("latencies");
        if (lat instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                double v = a.get(i).asDouble();
                if (v != -1 && v != 0 && v != PingModule.TIMEOUT) {
                    assertTrue(v > 0 && v < 60_000, "a latency in milliseconds: " + v);
                    a.set(i, "ms");
                }
            }
        }
        return c;
    }

    private static List<String> shapeLines(List<String> lines) {
        return lines.stream()
                .map(l -> l.replaceAll("succeeded in \\d+ms$", "succeeded in Nms"))
                .toList();
    }

    private void assertLikeTheOriginal(String name) {
        JsonNode params = GoJson.tree(ports(resource(name + ".params.json")));
        PingModule m = new PingModule();
        ModuleResult r = m.run(params, context());
        String ours = GoJson.marshal(r);
        JsonNode expected = GoJson.tree(ports(resource(name + ".result.json")));
        assertEquals(shape(expected), shape(GoJson.tree(ours)), name + ": " + ours);
        assertEquals(
                ports(resource(name + ".result.json")).strip().replaceAll("\"latencies\":\\[[^\\]]*\\]", "L"),
                ours.replaceAll("\"latencies\":\\[[^\\]]*\\]", "L"),
                "the original's bytes, field order included");
        assertEquals(
                shapeLines(ports(resource(name + ".pretty")).lines().toList()),
                shapeLines(m.printResults(r, false)),
                name);
    }

    @Test
    void tcpToAListeningPortSucceeds() {
        assertLikeTheOriginal("tcp-open");
    }

    @Test
    void tcpToANameResolvesItFirst() {
        assertLikeTheOriginal("tcp-localhost");
    }

    @Test
    void udpWithoutAnAnswerMayHaveSucceeded() {
        assertLikeTheOriginal("udp-silent");
    }

    @Test
    void udpToAnEchoSucceeds() {
        assertLikeTheOriginal("udp-echo");
    }

    @Test
    void udpToAClosedPortIsUnreachable() {
        assertLikeTheOriginal("udp-closed");
    }

    @Test
    void icmpToLoopbackSucceeds() {
        assertLikeTheOriginal("icmp-loopback");
    }

    @Test
    void udpToAnIpv6LiteralFailsAsGoDialsHostColonPort() {
        assertLikeTheOriginal("udp-ipv6");
    }

    @Test
    void aTimeoutUnderOneSecondIsZeroSecondsAsInGo() {
        assertLikeTheOriginal("icmp-subsecond");
        assertLikeTheOriginal("udp-subsecond");
    }

    @Test
    void tcpToAClosedPortIsUnreachableWhereTheOriginalPanicked() {
        // the original's pingTcp deferred conn.Close() on the nil conn of a failed dial: recorded as
        // a nil pointer error; ours reports what its code meant, latency -1 (target unreachable)
        assertEquals(
                "runtime error: invalid memory address or nil pointer dereference",
                GoJson.tree(resource("tcp-closed.result.json")).at("/errors/0").asText());
        PingModule m = new PingModule();
        ModuleResult r = m.run(GoJson.tree(ports(resource("tcp-closed.params.json"))), context());
        assertTrue(r.success());
        assertFalse(r.foundAnything());
        assertEquals(
                "{\"latencies\":[-1],\"protocol\":\"tcp\",\"resolvedhost\":\"127.0.0.1:" + closed
                        + " (127.0.0.1)\",\"failures\":null}",
                GoJson.marshal(r.elements()));
        assertEquals(
                List.of(
                        "tcp ping of 127.0.0.1:" + closed + " (127.0.0.1) failed. Target is no reachable.",
                        "ping #1 failed, target was unreachable"),
                m.printResults(r, false));
    }

    @Test
    void theLocalTargetPrintsWhatTheOriginalClientPrinted() throws ParameterException {
        for (String name : List.of("local-tcp-open", "local-udp-closed", "local-udp-silent", "local-icmp")) {
            PingModule m = new PingModule();
            List<String> args = ports(resource(name + ".args")).lines().toList();
            ModuleResult r = m.run(m.parseArgs(args), context());
            assertEquals(ports(resource(name + ".stdout")).lines().toList(), m.printResults(r, true), name);
        }
    }

    @Test
    void everyBadParametersDocumentGetsTheOriginalsResult() {
        List<String> docs = resource("bad-parameters.jsonl").lines().toList();
        assertEquals(18, docs.size());
        for (String line : docs) {
            JsonNode rec = GoJson.tree(ports(line));
            ModuleResult r = new PingModule().run(rec.get("parameters"), context());
            assertEquals(shape(rec.get("result")), shape(GoJson.tree(GoJson.marshal(r))), line);
        }
    }

    @Test
    void everyBadCommandLineGetsTheOriginalsError() {
        List<String> cases = resource("parser-errors.jsonl").lines().toList();
        assertEquals(14, cases.size());
        for (String line : cases) {
            JsonNode rec = GoJson.tree(line);
            List<String> args = new ArrayList<>();
            rec.get("args").forEach(a -> args.add(a.asText()));
            ParameterException e = assertThrows(ParameterException.class, () -> new PingModule().parseArgs(args), line);
            assertEquals(rec.get("error").asText(), e.getMessage(), line);
        }
    }

    @Test
    void flagsAndHelpAreTheOriginals() throws ParameterException {
        PingModule m = new PingModule();
        assertEquals(resource("help.stdout"), m.help());
        assertEquals(
                "{\"destination\":\"127.0.0.1\",\"destinationport\":-1,\"protocol\":\"icmp\",\"count\":3,\"timeout\":5}",
                GoJson.marshalInOrder(m.parseArgs(List.of("-d", "127.0.0.1"))));
        assertEquals(
                "{\"destination\":\"localhost\",\"destinationport\":53,\"protocol\":\"udp\",\"count\":5,\"timeout\":10}",
                GoJson.marshalInOrder(
                        m.parseArgs(List.of("-d", "localhost", "-p", "udp", "-dp", "53", "-c", "5", "-t=10"))));
        assertEquals(
                "{\"destination\":\"127.0.0.1\",\"protocol\":\"tcp\",\"count\":3,\"timeout\":5}",
                GoJson.marshalInOrder(m.parseArgs(List.of("-d", "127.0.0.1", "-p", "tcp", "-dp", "0"))));
    }

    @Test
    void numbersAreFormattedAndTruncatedAsInGo() {
        // fmt's %.0f rounds the exact value half to even (recorded: 2 0 2 -0 47010)
        assertEquals(
                List.of("2", "0", "2", "-0", "47010", "-1", "65535"),
                List.of(2.5, 0.5, 1.5, -0.4, 47009.6, -1.0, 65535.0).stream()
                        .map(PingModule::goFixed0)
                        .toList());
        assertEquals(2, PingModule.goInt(2.9));
        assertEquals(-2, PingModule.goInt(-2.9));
        assertEquals(Long.MIN_VALUE, PingModule.goInt(1e300));
        assertEquals(
                "::1",
                GoIp.format(
                        InetAddress.getLoopbackAddress().getHostAddress().contains(":")
                                ? InetAddress.getLoopbackAddress()
                                : ipv6("::1")));
        assertEquals("2001:db8::1:0:0:1", GoIp.format(ipv6("2001:db8:0:0:1:0:0:1")));
        assertEquals("fe80::1", GoIp.format(ipv6("fe80:0:0:0:0:0:0:1")));
        assertTrue(GoIp.isIp("::ffff:1.2.3.4"));
        assertFalse(GoIp.isIp("1.2.3"));
        assertFalse(GoIp.isIp("1:2:3:4:5:6:7:8:9"));
        assertFalse(GoIp.isIp("fe80::1%eth0"));
    }

    @Test
    void aRunStopsAtItsDeadline() {
        PingModule m = new PingModule();
        RunContext shortRun = RunContext.withTimeout(Duration.ofSeconds(3));
        ModuleResult r = m.run(
                GoJson.tree("{\"destination\":\"127.0.0.1\",\"destinationport\":" + udpSilent.getLocalPort()
                        + ",\"protocol\":\"udp\",\"count\":1000000,\"timeout\":1}"),
                shortRun);
        assertFalse(r.success());
        assertTrue(
                r.errors().get(0).matches("deadline reached after \\d+ of 1000000 pings"),
                r.errors().toString());
    }

    private static InetAddress ipv6(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package mig.modules.netstat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.ModuleMessages;
import mig.modules.Modules;
import mig.modules.RunContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * netstat against sockets this test opens on the loopback: TCP and UDP, IPv4 ({@code /proc/net/tcp}),
 * IPv6 on {@code ::1} ({@code tcp6}) and dual-stack sockets whose IPv4 peers appear IPv4-mapped in
 * {@code tcp6}. Each query must find them and not what is not there.
 */
class NetstatRealSocketsTest {

    private static final NetstatModule MODULE = new NetstatModule();
    private static final List<AutoCloseable> OPEN = new ArrayList<>();

    private static Connection tcp4;
    private static Connection tcp6;
    private static Connection dualStack;
    private static int udp4Port;
    private static int udp6Port;

    /** A listener and one connection to it: the client's and the accepted socket's ports. */
    private record Connection(int listenerPort, int clientPort) {}

    @BeforeAll
    static void openSockets() throws IOException {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("::1");
        tcp4 = connect(StandardProtocolFamily.INET, v4);
        udp4Port = udp(StandardProtocolFamily.INET, v4);
        try {
            tcp6 = connect(StandardProtocolFamily.INET6, v6);
            udp6Port = udp(StandardProtocolFamily.INET6, v6);
        } catch (IOException e) {
            Assumptions.abort("this host has no IPv6 loopback ::1: " + e);
        }
        dualStack = connect(null, v4);
    }

    @AfterAll
    static void closeSockets() throws Exception {
        for (AutoCloseable c : OPEN) {
            c.close();
        }
    }

    private static Connection connect(ProtocolFamily family, InetAddress addr) throws IOException {
        ServerSocketChannel server = family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
        OPEN.add(server);
        server.bind(new InetSocketAddress(addr, 0));
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        SocketChannel client = family == null ? SocketChannel.open() : SocketChannel.open(family);
        OPEN.add(client);
        client.connect(new InetSocketAddress(addr, port));
        OPEN.add(server.accept());
        return new Connection(port, ((InetSocketAddress) client.getLocalAddress()).getPort());
    }

    private static int udp(ProtocolFamily family, InetAddress addr) throws IOException {
        DatagramChannel ch = DatagramChannel.open(family);
        OPEN.add(ch);
        ch.bind(new InetSocketAddress(addr, 0));
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    @Test
    void listeningPortFindsTcpAndUdpListenersOnIpv4AndIpv6() {
        ModuleResult r = run("{\"listeningport\":[\"" + tcp4.listenerPort() + "\",\"" + udp4Port + "\",\""
                + tcp6.listenerPort() + "\",\"" + udp6Port + "\",\"" + dualStack.listenerPort() + "\"]}");
        assertTrue(r.success());
        assertTrue(r.foundAnything());
        Map<String, List<NetstatElement>> found = elements(r).listeningPort();
        assertEquals(
                List.of(NetstatElement.listening("127.0.0.1", tcp4.listenerPort(), "default")),
                found.get(Integer.toString(tcp4.listenerPort())),
                "one listener, not the accepted connection");
        assertEquals(
                List.of(NetstatElement.listening("127.0.0.1", udp4Port, "default")),
                found.get(Integer.toString(udp4Port)));
        assertEquals(
                List.of(NetstatElement.listening("::1", tcp6.listenerPort(), "default")),
                found.get(Integer.toString(tcp6.listenerPort())));
        assertEquals(
                List.of(NetstatElement.listening("::1", udp6Port, "default")), found.get(Integer.toString(udp6Port)));
        assertEquals(
                List.of(NetstatElement.listening("127.0.0.1", dualStack.listenerPort(), "default")),
                found.get(Integer.toString(dualStack.listenerPort())),
                "a dual-stack socket printed as IPv4");
    }

    @Test
    void listeningPortDoesNotFindClientPortsOrFreePorts() throws IOException {
        int free;
        try (ServerSocketChannel s = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            free = ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
        ModuleResult r = run("{\"listeningport\":[\"" + tcp4.clientPort() + "\",\"" + free + "\"]}");
        assertFalse(r.foundAnything());
        Map<String, List<NetstatElement>> found = elements(r).listeningPort();
        assertTrue(found.containsKey(Integer.toString(free)));
        assertNull(found.get(Integer.toString(free)));
        assertNull(found.get(Integer.toString(tcp4.clientPort())), "a connection's local port is not listening");
        List<String> lines = MODULE.printResults(r, false);
        assertTrue(
                lines.contains("did not find anything for netstat listeningport:'" + tcp4.clientPort() + "'"),
                lines.toString());
        assertTrue(lines.contains("did not find anything for netstat listeningport:'" + free + "'"), lines.toString());
        assertEquals(List.of(), MODULE.printResults(r, true), "found-only mode prints nothing");
    }

    @Test
    void connectedIpFindsBothEndsOfAnIpv4Connection() {
        for (String query : List.of("127.0.0.1", "127.0.0.0/8", "::ffff:127.0.0.1")) {
            List<NetstatElement> found = elements(run("{\"connectedip\":[\"" + query + "\"]}"))
                    .connectedIp()
                    .get(query);
            assertNotNull(found, query);
            assertTrue(
                    found.contains(NetstatElement.connection(
                            "127.0.0.1", tcp4.clientPort(), "127.0.0.1", tcp4.listenerPort(), "default")),
                    query + ": client end, from /proc/net/tcp");
            assertTrue(
                    found.contains(NetstatElement.connection(
                            "127.0.0.1", tcp4.listenerPort(), "127.0.0.1", tcp4.clientPort(), "default")),
                    query + ": accepted end");
            assertTrue(
                    found.contains(NetstatElement.connection(
                            "127.0.0.1", dualStack.clientPort(), "127.0.0.1", dualStack.listenerPort(), "default")),
                    query + ": IPv4 peer of a dual-stack socket, from tcp6");
        }
    }

    @Test
    void connectedIpFindsIpv6PeersOnlyForIpv6Queries() {
        List<NetstatElement> found =
                elements(run("{\"connectedip\":[\"::1/128\"]}")).connectedIp().get("::1/128");
        assertTrue(found.contains(
                NetstatElement.connection("::1", tcp6.clientPort(), "::1", tcp6.listenerPort(), "default")));
        assertTrue(found.stream().noneMatch(e -> e.remoteAddr().equals("127.0.0.1")));
    }

    @Test
    void connectedIpSkipsSocketsWithoutAPeerAndFindsNoAbsentPeer() {
        ModuleResult r = run("{\"connectedip\":[\"0.0.0.0/0\",\"198.51.100.7\",\"2001:db8::/32\"]}");
        Map<String, List<NetstatElement>> found = elements(r).connectedIp();
        assertTrue(
                found.get("0.0.0.0/0").stream().noneMatch(e -> e.remotePort() == 0), "listening sockets have no peer");
        assertTrue(found.get("0.0.0.0/0").stream().anyMatch(e -> e.localPort() == tcp4.clientPort()));
        assertNull(found.get("198.51.100.7"));
        assertNull(found.get("2001:db8::/32"));
    }

    @Test
    void localIpFindsLoopbackAddressesInAnySpelling() {
        ModuleResult r = run("{\"localip\":[\"127.0.0.1\",\"0:0:0:0:0:0:0:1\",\"127.0.0.0/8\",\"198.51.100.7\"]}");
        Map<String, List<NetstatElement>> found = elements(r).localIp();
        assertEquals(List.of(NetstatElement.localIp("127.0.0.1")), found.get("127.0.0.1"));
        assertEquals(List.of(NetstatElement.localIp("::1")), found.get("0:0:0:0:0:0:0:1"));
        assertTrue(found.get("127.0.0.0/8").contains(NetstatElement.localIp("127.0.0.1")));
        assertNull(found.get("198.51.100.7"));
    }

    @Test
    void localMacFindsTheHostsInterfacesCaseInsensitively() throws IOException {
        String mac = null;
        try (var dirs = Files.list(Path.of("/sys/class/net"))) {
            for (Path d : dirs.toList()) {
                String m = Files.readString(d.resolve("address")).trim();
                if (m.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}") && !m.equals("00:00:00:00:00:00")) {
                    mac = m;
                }
            }
        }
        Assumptions.assumeTrue(mac != null, "this host has no interface with a hardware address");
        String upper = "^" + mac.toUpperCase() + "$";
        ModuleResult r = run("{\"localmac\":[\"" + upper + "\",\"^fe:ed:fa:ce:00:00$\"]}");
        assertEquals(
                List.of(NetstatElement.localMac(mac)), elements(r).localMac().get(upper));
        assertNull(elements(r).localMac().get("^fe:ed:fa:ce:00:00$"));
        assertTrue(MODULE.printResults(r, false)
                .contains("did not find anything for netstat localmac:'^fe:ed:fa:ce:00:00$'"));
    }

    @Test
    void namespaceModeTagsEachFindingWithItsNetworkNamespace() throws IOException {
        String ns = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        ModuleResult r = run("{\"listeningport\":[\"" + tcp4.listenerPort() + "\"],\"namespaces\":true}");
        assertEquals(
                List.of(NetstatElement.listening("127.0.0.1", tcp4.listenerPort(), ns)),
                elements(r).listeningPort().get(Integer.toString(tcp4.listenerPort())));
        assertEquals(
                "found listening port " + tcp4.listenerPort() + " for netstat listeningport:'" + tcp4.listenerPort()
                        + "' namespace:[" + ns + "]",
                MODULE.printResults(r, true).get(0));
    }

    @Test
    void statisticsCountWhatWasExaminedAndFound() {
        ModuleResult r = run("{\"listeningport\":[\"" + tcp4.listenerPort() + "\"],\"connectedip\":[\"::1\"]}");
        JsonNode stats = r.statistics();
        int hits = elements(r).connectedIp().get("::1").size() + 1;
        assertEquals(hits, stats.get("totalhits").asInt());
        assertTrue(stats.get("examined").asInt() >= 8, stats.toString());
        assertTrue(stats.get("exectime").asText().matches("[0-9.]+(ns|µs|ms|s)"), stats.toString());
        assertNull(r.errors());
    }

    @Test
    void isRegisteredUnderItsName() {
        assertTrue(Modules.get("netstat").orElseThrow() instanceof NetstatModule);
    }

    @Test
    void runsThroughTheAgentModuleProtocol() {
        String in = ModuleMessages.parametersMessage(GoJson.tree("{\"listeningport\":[\"" + udp4Port + "\"]}"));
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        assertEquals(
                0,
                ModuleMessages.runFromStdin(
                        MODULE,
                        new BufferedReader(new StringReader(in + "\n")),
                        new PrintStream(json, true, StandardCharsets.UTF_8),
                        false,
                        Duration.ofSeconds(30)));
        ModuleResult r = GoJson.unmarshal(json.toString(StandardCharsets.UTF_8), ModuleResult.class);
        assertTrue(r.success() && r.foundAnything(), r.toString());

        ByteArrayOutputStream pretty = new ByteArrayOutputStream();
        ModuleMessages.runFromStdin(
                MODULE,
                new BufferedReader(new StringReader(in + "\n")),
                new PrintStream(pretty, true, StandardCharsets.UTF_8),
                true,
                Duration.ofSeconds(30));
        String[] lines = pretty.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("found listening port " + udp4Port + " for netstat listeningport:'" + udp4Port + "'", lines[0]);
        assertTrue(lines[1].startsWith("Statistics: total hits 1 examined "), lines[1]);
    }

    static ModuleResult run(String json) {
        return MODULE.run(GoJson.tree(json), RunContext.withTimeout(Duration.ofSeconds(30)));
    }

    static NetstatElements elements(ModuleResult r) {
        try {
            return GoJson.mapper().treeToValue(r.elements(), NetstatElements.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

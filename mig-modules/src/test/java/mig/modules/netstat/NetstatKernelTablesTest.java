package mig.modules.netstat;

import static mig.modules.netstat.NetstatRealSocketsTest.elements;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.RunContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netstat on copies of {@code /proc} and {@code /sys/class/net} (resources {@code netstat/proc-net/}):
 * an ARP table, IPv4-mapped and IPv6 rows, a connected UDP socket, a malformed row, a missing file,
 * and network namespaces, none of which a test can count on finding on the host it runs on.
 */
class NetstatKernelTablesTest {

    @TempDir
    Path root;

    private Path proc;
    private NetstatModule module;

    @BeforeEach
    void fakeHost() throws IOException {
        proc = root.resolve("proc");
        copyTables(proc.resolve("net"), "tcp", "udp", "tcp6", "udp6", "arp");
        Path sys = root.resolve("sys/class/net");
        link(sys, "lo", 1, "00:00:00:00:00:00");
        link(sys, "eth0", 2, "8c:70:5a:aa:bb:cc");
        module = new NetstatModule(proc, sys);
    }

    @Test
    void neighborQueriesReadTheArpTable() {
        ModuleResult r = run("{\"neighbormac\":[\"^8C:70\",\"^aa:bb\"],\"neighborip\":[\"10.0.0.0/24\",\"10.0.0.1\","
                + "\"fd00::1\"]}");
        NetstatElements e = elements(r);
        NetstatElement gateway = NetstatElement.neighbor("10.0.0.1", "8c:70:5a:12:34:56", "default");
        assertEquals(List.of(gateway), e.neighborMac().get("^8C:70"), "MAC regexes are case-insensitive");
        assertNull(e.neighborMac().get("^aa:bb"));
        assertEquals(2, e.neighborIp().get("10.0.0.0/24").size());
        assertEquals(List.of(gateway), e.neighborIp().get("10.0.0.1"));
        assertNull(e.neighborIp().get("fd00::1"));
        assertEquals(
                List.of(
                        "found neighbor mac 8c:70:5a:12:34:56 10.0.0.1 for netstat neighbormac:'^8C:70'",
                        "did not find anything for netstat neighbormac:'^aa:bb'",
                        "found neighbor IP 10.0.0.1 8c:70:5a:12:34:56 for netstat neighborIP:'10.0.0.0/24'",
                        "found neighbor IP 10.0.0.9 00:00:00:00:00:00 for netstat neighborIP:'10.0.0.0/24'",
                        "found neighbor IP 10.0.0.1 8c:70:5a:12:34:56 for netstat neighborIP:'10.0.0.1'",
                        "did not find anything for netstat neighborIP:'fd00::1'"),
                module.printResults(r, false).subList(0, 6));
    }

    @Test
    void connectedIpReadsIpv4Ipv4MappedAndIpv6Rows() {
        ModuleResult r = run("{\"connectedip\":[\"10.0.0.0/8\",\"2001:db8::2\",\"10.0.0.8\"]}");
        NetstatElements e = elements(r);
        assertEquals(
                List.of(
                        NetstatElement.connection("10.0.0.2", 22, "10.0.0.3", 54321, "default"),
                        NetstatElement.connection("10.0.0.2", 57344, "10.0.0.8", 53, "default"),
                        NetstatElement.connection("10.0.0.2", 443, "10.0.0.4", 50000, "default")),
                e.connectedIp().get("10.0.0.0/8"));
        assertEquals(
                List.of(NetstatElement.connection("2001:db8::1", 443, "2001:db8::2", 50001, "default")),
                e.connectedIp().get("2001:db8::2"));
        assertTrue(
                module.printResults(r, true)
                        .contains(
                                "found connected tuple 10.0.0.3:54321 with local tuple 10.0.0.2:22 for netstat connectedip:'10.0.0.0/8'"));
    }

    @Test
    void listeningPortListsListenersNotConnections() {
        ModuleResult r = run("{\"listeningport\":[\"22\",\"443\",\"53\",\"57344\"]}");
        NetstatElements e = elements(r);
        assertEquals(
                List.of(NetstatElement.listening("127.0.0.1", 22, "default")),
                e.listeningPort().get("22"));
        assertEquals(
                List.of(NetstatElement.listening("::", 443, "default")),
                e.listeningPort().get("443"));
        assertEquals(
                List.of(NetstatElement.listening("0.0.0.0", 53, "default")),
                e.listeningPort().get("53"));
        assertNull(e.listeningPort().get("57344"), "a connected UDP socket is not listening");
        assertEquals(4 * 7, r.statistics().get("examined").asInt(), "7 socket rows examined per port");
        assertEquals(3, r.statistics().get("totalhits").asInt());
    }

    @Test
    void malformedRowsAndMissingTablesAreReportedAndTheRestIsUsed() throws IOException {
        Files.delete(proc.resolve("net/udp6"));
        ModuleResult r = run("{\"listeningport\":[\"22\"]}");
        assertTrue(r.success());
        assertEquals(
                List.of(NetstatElement.listening("127.0.0.1", 22, "default")),
                elements(r).listeningPort().get("22"));
        assertEquals(
                List.of(
                        "1 malformed row(s) skipped in " + proc.resolve("net/tcp")
                                + ", first: '2: this row is not a socket'",
                        "cannot read " + proc.resolve("net/udp6") + ": no such file"),
                r.errors());
        List<String> lines = module.printResults(r, false);
        assertEquals("error: cannot read " + proc.resolve("net/udp6") + ": no such file", lines.get(2));
    }

    @Test
    void localMacReadsEveryLinkAndHidesTheLoopbacksZeroAddress() {
        ModuleResult r = run("{\"localmac\":[\"^8C:70:5A:AA\",\"^$\"]}");
        NetstatElements e = elements(r);
        assertEquals(
                List.of(NetstatElement.localMac("8c:70:5a:aa:bb:cc")),
                e.localMac().get("^8C:70:5A:AA"));
        assertEquals("[{}]", GoJson.marshal(e.localMac().get("^$")), "lo has no hardware address, left out as in Go");
        assertEquals(4, r.statistics().get("examined").asInt());
    }

    @Test
    void namespaceModeReadsOneProcessPerNamespaceFallingBackWhenOneFails() throws IOException {
        process(100, "net:[111]", true);
        process(200, "net:[222]", false); // its tables cannot be read: 201 stands in for it
        process(201, "net:[222]", true);
        process(202, "net:[222]", true);
        ModuleResult r = run("{\"listeningport\":[\"22\"],\"namespaces\":true}");
        assertEquals(
                List.of(
                        NetstatElement.listening("127.0.0.1", 22, "net:[111]"),
                        NetstatElement.listening("127.0.0.1", 22, "net:[222]")),
                elements(r).listeningPort().get("22"));
        assertEquals(
                List.of(
                        "found listening port 22 for netstat listeningport:'22' namespace:[net:[111]]",
                        "found listening port 22 for netstat listeningport:'22' namespace:[net:[222]]"),
                module.printResults(r, true));
    }

    private void process(int pid, String namespace, boolean readable) throws IOException {
        Path dir = proc.resolve(Integer.toString(pid));
        Files.createDirectories(dir.resolve("ns"));
        Files.createSymbolicLink(dir.resolve("ns/net"), Path.of(namespace));
        if (readable) {
            copyTables(dir.resolve("net"), "tcp", "udp", "tcp6", "udp6", "arp");
        }
    }

    private ModuleResult run(String json) {
        return module.run(GoJson.tree(json), RunContext.withTimeout(Duration.ofSeconds(30)));
    }

    private static void copyTables(Path dir, String... names) throws IOException {
        Files.createDirectories(dir);
        for (String n : names) {
            try (InputStream in = NetstatKernelTablesTest.class.getResourceAsStream("/netstat/proc-net/" + n)) {
                Files.copy(in, dir.resolve(n));
            }
        }
    }

    private static void link(Path sys, String name, int index, String mac) throws IOException {
        Path d = Files.createDirectories(sys.resolve(name));
        Files.writeString(d.resolve("address"), mac + "\n");
        Files.writeString(d.resolve("ifindex"), index + "\n");
    }
}

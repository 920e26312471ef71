package mig.modules.netstat;

import java.util.ArrayList;
import java.util.List;
import mig.common.net.GoIp;
import mig.common.regex.GoRegexp;

/**
 * The six netstat queries over one snapshot of the kernel tables, each returning its findings (or
 * {@code null}, Go's nil slice, when it found nothing) and counting what it examined.
 *
 * <p>Where the original's answers were wrong, these are not (see {@code docs/modules/netstat.md}):
 * {@link #listeningPort} lists listening sockets only, not every connection that happens to use the
 * port locally; {@link #connectedIp} skips sockets that have no peer; {@link #localIp} compares
 * addresses, not their spelling; {@link #neighborMac} is case-insensitive like {@link #localMac}.
 *
 * <p>Findings past the result size bound are counted but not kept; {@link #truncated()} says how
 * many were dropped.
 */
final class NetstatQueries {

    private final KernelTables tables;
    private final LocalInterfaces interfaces;
    private long budget;
    private long examined;
    private long hits;
    private long truncated;

    NetstatQueries(KernelTables tables, LocalInterfaces interfaces, long maxResultBytes) {
        this.tables = tables;
        this.interfaces = interfaces;
        this.budget = maxResultBytes;
    }

    /** Local interfaces whose MAC matches the regex, case-insensitively. */
    List<NetstatElement> localMac(String regex) {
        GoRegexp re = GoRegexp.compile("(?i)" + regex);
        List<NetstatElement> found = new ArrayList<>();
        for (String mac : interfaces.macs()) {
            examined++;
            if (re.find(mac)) {
                keep(found, NetstatElement.localMac(mac));
            }
        }
        return orNull(found);
    }

    /** Local addresses equal to the address, or inside the CIDR. */
    List<NetstatElement> localIp(String query) {
        IpNet net = IpNet.parseQuery(query).orElseThrow();
        List<NetstatElement> found = new ArrayList<>();
        for (byte[] addr : interfaces.addresses()) {
            examined++;
            if (net.contains(addr)) {
                keep(found, NetstatElement.localIp(GoIp.format(addr)));
            }
        }
        return orNull(found);
    }

    /** ARP entries whose MAC matches the regex, case-insensitively. */
    List<NetstatElement> neighborMac(String regex) {
        GoRegexp re = GoRegexp.compile("(?i)" + regex);
        List<NetstatElement> found = new ArrayList<>();
        for (KernelTables.Neighbor n : tables.neighbors()) {
            examined++;
            if (re.find(n.mac())) {
                keep(found, NetstatElement.neighbor(n.ip(), n.mac(), n.namespace()));
            }
        }
        return orNull(found);
    }

    /** ARP entries whose IP equals the address or is inside the CIDR. */
    List<NetstatElement> neighborIp(String query) {
        IpNet net = IpNet.parseQuery(query).orElseThrow();
        List<NetstatElement> found = new ArrayList<>();
        for (KernelTables.Neighbor n : tables.neighbors()) {
            examined++;
            byte[] ip = GoIp.parse(n.ip()).orElse(null);
            if (ip != null && net.contains(ip)) {
                keep(found, NetstatElement.neighbor(GoIp.format(ip), n.mac(), n.namespace()));
            }
        }
        return orNull(found);
    }

    /**
     * Sockets whose peer is the address or inside the CIDR. An IPv4 query also searches the IPv6
     * tables, where peers of dual-stack sockets appear IPv4-mapped.
     */
    List<NetstatElement> connectedIp(String query) {
        IpNet net = IpNet.parseQuery(query).orElseThrow();
        List<NetstatElement> found = new ArrayList<>();
        List<KernelTables.Socket> rows = new ArrayList<>();
        if (net.ipv4()) {
            rows.addAll(tables.ipv4Sockets());
        }
        rows.addAll(tables.ipv6Sockets());
        for (KernelTables.Socket s : rows) {
            examined++;
            if (s.connected() && net.contains(s.remoteIp())) {
                keep(
                        found,
                        NetstatElement.connection(
                                GoIp.format(s.localIp()),
                                s.localPort(),
                                GoIp.format(s.remoteIp()),
                                s.remotePort(),
                                s.namespace()));
            }
        }
        return orNull(found);
    }

    /** TCP sockets listening on the port and UDP sockets bound to it without a peer, IPv4 then IPv6. */
    List<NetstatElement> listeningPort(String value) {
        int port = Integer.parseInt(value);
        List<NetstatElement> found = new ArrayList<>();
        List<KernelTables.Socket> rows = new ArrayList<>(tables.ipv4Sockets());
        rows.addAll(tables.ipv6Sockets());
        for (KernelTables.Socket s : rows) {
            examined++;
            if (s.localPort() == port && s.listening()) {
                keep(found, NetstatElement.listening(GoIp.format(s.localIp()), port, s.namespace()));
            }
        }
        return orNull(found);
    }

    long examined() {
        return examined;
    }

    long hits() {
        return hits;
    }

    /** Findings not kept because the result reached its size bound. */
    long truncated() {
        return truncated;
    }

    private void keep(List<NetstatElement> found, NetstatElement e) {
        hits++;
        long size = jsonSize(e);
        if (size > budget) {
            truncated++;
            budget = 0;
            return;
        }
        budget -= size;
        found.add(e);
    }

    /** About the element's JSON size, without marshalling it (a query can find thousands). */
    private static long jsonSize(NetstatElement e) {
        long size = 128; // names, punctuation, two ports
        for (String s :
                new String[] {e.localMacAddr(), e.remoteMacAddr(), e.localAddr(), e.remoteAddr(), e.namespace()}) {
            size += s == null ? 0 : 2L * s.length();
        }
        return size;
    }

    private static List<NetstatElement> orNull(List<NetstatElement> found) {
        return found.isEmpty() ? null : found;
    }
}

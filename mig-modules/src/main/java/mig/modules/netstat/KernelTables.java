package mig.modules.netstat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mig.common.net.GoIp;

/**
 * The kernel's own socket and neighbour tables, read once per run: {@code /proc/net/tcp}, {@code udp}
 * (IPv4), {@code tcp6}, {@code udp6} and {@code arp}. No command ({@code ss}, {@code netstat},
 * {@code ip}) is run, so nothing depends on what is installed on the endpoint.
 *
 * <p>In namespace mode the same files are read from {@code /proc/<pid>/net/} for one process of each
 * network namespace (the first of its processes whose file can be read, since any of them may exit
 * meanwhile), and every row is tagged with the namespace's link text, e.g. {@code net:[4026531840]};
 * otherwise rows are tagged {@code default}, as in the original.
 *
 * <p>Each table is read on first use and kept for the run, so a run's queries all see one snapshot.
 * Read failures and malformed rows become {@link #errors()}; the other rows are still used.
 */
final class KernelTables {

    /** Transport protocol of a socket row. */
    enum Protocol {
        TCP,
        UDP
    }

    /** TCP_LISTEN in the {@code st} column. */
    private static final int TCP_LISTEN = 0x0A;
    /** TCP_CLOSE, which an unconnected UDP socket reports. */
    private static final int UDP_UNCONNECTED = 0x07;

    /** One row of a socket table. Addresses have 4 bytes ({@code tcp}, {@code udp}) or 16 (IPv6 tables). */
    record Socket(
            Protocol protocol,
            byte[] localIp,
            int localPort,
            byte[] remoteIp,
            int remotePort,
            int state,
            String namespace) {

        /** A TCP socket in LISTEN state, or a UDP socket bound but not connected (what {@code ss -l} lists). */
        boolean listening() {
            return protocol == Protocol.TCP ? state == TCP_LISTEN : state == UDP_UNCONNECTED;
        }

        /** True when the socket has a peer: its remote end is not {@code 0.0.0.0:0} / {@code [::]:0}. */
        boolean connected() {
            return remotePort != 0 || !GoIp.isUnspecified(remoteIp);
        }
    }

    /** One row of the ARP table: {@code IP address, HW type, Flags, HW address, Mask, Device}. */
    record Neighbor(String ip, String mac, String namespace) {}

    private final Path proc;
    private final boolean namespaces;
    private final List<String> errors = new ArrayList<>();
    private Map<String, List<Path>> namespaceDirs;
    private List<Socket> ipv4;
    private List<Socket> ipv6;
    private List<Neighbor> neighbors;

    /**
     * @param proc       the proc file system, normally {@code /proc} (tests give a copy)
     * @param namespaces read every network namespace's tables
     */
    KernelTables(Path proc, boolean namespaces) {
        this.proc = proc;
        this.namespaces = namespaces;
    }

    /** Rows of {@code tcp} then {@code udp}. */
    List<Socket> ipv4Sockets() {
        if (ipv4 == null) {
            ipv4 = new ArrayList<>();
            readSockets("tcp", Protocol.TCP, ipv4);
            readSockets("udp", Protocol.UDP, ipv4);
        }
        return ipv4;
    }

    /** Rows of {@code tcp6} then {@code udp6}. */
    List<Socket> ipv6Sockets() {
        if (ipv6 == null) {
            ipv6 = new ArrayList<>();
            readSockets("tcp6", Protocol.TCP, ipv6);
            readSockets("udp6", Protocol.UDP, ipv6);
        }
        return ipv6;
    }

    /** Rows of {@code arp} with at least four columns. */
    List<Neighbor> neighbors() {
        if (neighbors == null) {
            neighbors = new ArrayList<>();
            for (Table t : read("arp")) {
                for (String line : t.rows()) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 4) {
                        neighbors.add(new Neighbor(f[0], f[3], t.namespace()));
                    }
                }
            }
        }
        return neighbors;
    }

    /** What could not be read or parsed, one sentence each. */
    List<String> errors() {
        return Collections.unmodifiableList(errors);
    }

    private record Table(String file, String namespace, List<String> rows) {}

    private void readSockets(String name, Protocol protocol, List<Socket> into) {
        for (Table t : read(name)) {
            String firstBad = null;
            int bad = 0;
            for (String line : t.rows()) {
                Socket s = parseSocket(line, protocol, t.namespace());
                if (s != null) {
                    into.add(s);
                } else if (!line.isBlank()) {
                    bad++;
                    firstBad = firstBad == null ? line.trim() : firstBad;
                }
            }
            if (bad > 0) {
                errors.add(bad + " malformed row(s) skipped in " + t.file() + ", first: '" + firstBad + "'");
            }
        }
    }

    /** A row {@code sl local rem st ...} with addresses as {@code HEXIP:HEXPORT}; null when malformed. */
    static Socket parseSocket(String line, Protocol protocol, String namespace) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4) {
            return null;
        }
        byte[][] local = new byte[1][];
        byte[][] remote = new byte[1][];
        int localPort = endpoint(f[1], local);
        int remotePort = endpoint(f[2], remote);
        if (localPort < 0 || remotePort < 0 || local[0].length != remote[0].length) {
            return null;
        }
        int state;
        try {
            state = Integer.parseInt(f[3], 16);
        } catch (NumberFormatException e) {
            return null;
        }
        return new Socket(protocol, local[0], localPort, remote[0], remotePort, state, namespace);
    }

    /** Parses {@code 0100007F:1F90}; stores the address, returns the port or -1. */
    private static int endpoint(String text, byte[][] address) {
        int colon = text.indexOf(':');
        if (colon < 0 || colon != text.lastIndexOf(':') || text.length() - colon - 1 != 4) {
            return -1;
        }
        address[0] = hexAddress(text.substring(0, colon));
        if (address[0] == null) {
            return -1;
        }
        try {
            return Integer.parseInt(text.substring(colon + 1), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The kernel prints an address as 32-bit words in host byte order (little-endian here): IPv4
     * {@code 0100007F} is 127.0.0.1, and each of the four words of an IPv6 address is reversed alike.
     */
    static byte[] hexAddress(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            return null;
        }
        byte[] ip = new byte[hex.length() / 2];
        for (int word = 0; word < ip.length; word += 4) {
            for (int b = 0; b < 4; b++) {
                int at = (word + 3 - b) * 2;
                int hi = Character.digit(hex.charAt(at), 16);
                int lo = Character.digit(hex.charAt(at + 1), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                ip[word + b] = (byte) (hi << 4 | lo);
            }
        }
        return ip;
    }

    /** The file's rows (header dropped) for the host, or for each network namespace. */
    private List<Table> read(String name) {
        if (!namespaces) {
            Path file = proc.resolve("net").resolve(name);
            try {
                return List.of(new Table(file.toString(), "default", rows(file)));
            } catch (IOException e) {
                errors.add("cannot read " + file + ": " + describe(e));
                return List.of();
            }
        }
        List<Table> tables = new ArrayList<>();
        for (Map.Entry<String, List<Path>> ns : namespaceDirs().entrySet()) {
            IOException last = null;
            boolean done = false;
            for (Path dir : ns.getValue()) {
                Path file = dir.resolve(name);
                try {
                    tables.add(new Table(file.toString(), ns.getKey(), rows(file)));
                    done = true;
                    break;
                } catch (IOException e) {
                    last = e; // that process may have exited: try the next one of the namespace
                }
            }
            if (!done) {
                errors.add("cannot read " + name + " of network namespace " + ns.getKey() + " from any of its "
                        + ns.getValue().size() + " processes" + (last == null ? "" : ": " + describe(last)));
            }
        }
        return tables;
    }

    private static List<String> rows(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        return lines.isEmpty() ? lines : lines.subList(1, lines.size());
    }

    /** Network namespace link text mapped to the {@code /proc/<pid>/net} dirs of its processes, by pid. */
    private Map<String, List<Path>> namespaceDirs() {
        if (namespaceDirs != null) {
            return namespaceDirs;
        }
        TreeMap<Long, Path> pids = new TreeMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc)) {
            for (Path d : dirs) {
                String n = d.getFileName().toString();
                if (!n.isEmpty() && n.length() < 19 && n.chars().allMatch(Character::isDigit)) {
                    pids.put(Long.parseLong(n), d);
                }
            }
        } catch (IOException e) {
            errors.add("cannot list processes in " + proc + ": " + describe(e));
        }
        namespaceDirs = new TreeMap<>();
        for (Path d : pids.values()) {
            try {
                String ns =
                        Files.readSymbolicLink(d.resolve("ns").resolve("net")).toString();
                namespaceDirs.computeIfAbsent(ns, k -> new ArrayList<>()).add(d.resolve("net"));
            } catch (IOException | UnsupportedOperationException e) {
                // exited, or not ours to see: other processes of that namespace will do
            }
        }
        return namespaceDirs;
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}

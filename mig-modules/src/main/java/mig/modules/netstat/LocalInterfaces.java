package mig.modules.netstat;

import java.io.IOException;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The endpoint's own interfaces: hardware addresses and IP addresses, as Go's
 * {@code net.Interfaces()} and {@code net.InterfaceAddrs()} report them.
 *
 * <p>MACs come from {@code /sys/class/net/<if>/address}, which lists every link, up or down, with or
 * without an address; {@link NetworkInterface} only lists interfaces that have an IP address. As in
 * Go, an all-zero hardware address (the loopback's) is reported as the empty string. When sysfs
 * cannot be read, {@link NetworkInterface} is used instead. IP addresses come from
 * {@link NetworkInterface}.
 */
final class LocalInterfaces {

    private final Path sysClassNet;
    private final List<String> errors = new ArrayList<>();

    /** @param sysClassNet normally {@code /sys/class/net} */
    LocalInterfaces(Path sysClassNet) {
        this.sysClassNet = sysClassNet;
    }

    /** Hardware address text of each interface, by interface index; "" for none. */
    List<String> macs() {
        record Link(int index, String name, String mac) {}
        List<Link> links = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(sysClassNet)) {
            for (Path d : dirs) {
                String mac = readLine(d.resolve("address"));
                String index = readLine(d.resolve("ifindex"));
                if (mac != null) {
                    int i = index != null && index.matches("[0-9]{1,9}") ? Integer.parseInt(index) : Integer.MAX_VALUE;
                    links.add(new Link(i, d.getFileName().toString(), allZero(mac) ? "" : mac.toLowerCase()));
                }
            }
        } catch (IOException e) {
            return macsFromJava();
        }
        links.sort(Comparator.comparingInt(Link::index).thenComparing(Link::name));
        return links.stream().map(Link::mac).toList();
    }

    /** Every IP address of every interface, 4 or 16 bytes. */
    List<byte[]> addresses() {
        List<byte[]> out = new ArrayList<>();
        for (NetworkInterface ni : javaInterfaces()) {
            for (InterfaceAddress a : ni.getInterfaceAddresses()) {
                out.add(a.getAddress().getAddress());
            }
        }
        return out;
    }

    /** What could not be read, one sentence each. */
    List<String> errors() {
        return Collections.unmodifiableList(errors);
    }

    private List<String> macsFromJava() {
        List<String> out = new ArrayList<>();
        for (NetworkInterface ni : javaInterfaces()) {
            try {
                byte[] hw = ni.getHardwareAddress();
                out.add(hw == null || allZero(hw) ? "" : hex(hw));
            } catch (SocketException e) {
                errors.add("cannot read the hardware address of " + ni.getName() + ": " + e.getMessage());
            }
        }
        return out;
    }

    private List<NetworkInterface> javaInterfaces() {
        try {
            List<NetworkInterface> all = new ArrayList<>(Collections.list(NetworkInterface.getNetworkInterfaces()));
            all.sort(Comparator.comparingInt(NetworkInterface::getIndex));
            return all;
        } catch (SocketException e) {
            errors.add("cannot list network interfaces: " + e.getMessage());
            return List.of();
        }
    }

    private static String readLine(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.ISO_8859_1).trim();
            return s;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean allZero(String mac) {
        return mac.chars().allMatch(c -> c == '0' || c == ':');
    }

    private static boolean allZero(byte[] hw) {
        for (byte b : hw) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] hw) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hw.length; i++) {
            sb.append(i == 0 ? "" : ":").append(String.format("%02x", hw[i] & 0xFF));
        }
        return sb.toString();
    }
}

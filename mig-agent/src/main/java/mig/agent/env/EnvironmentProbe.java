package mig.agent.env;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import mig.common.net.GoIp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the local facts a heartbeat reports (spec §2.4, §10.3): host name, Go-style OS and arch,
 * distribution ident, init system and interface addresses. Nothing here talks to the network
 * except the resolver lookup for the FQDN; the public IP is {@link PublicIp}'s job.
 */
public final class EnvironmentProbe {

    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentProbe.class);

    private EnvironmentProbe() {}

    /** Go's {@code runtime.GOOS} for this JVM: {@code linux}, {@code darwin}, {@code windows} ... */
    public static String goos() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            return "linux";
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return "darwin";
        }
        if (os.startsWith("windows")) {
            return "windows";
        }
        return os.replaceAll("[^a-z0-9]", "");
    }

    /** Go's {@code runtime.GOARCH} for a JVM {@code os.arch}: {@code x86_64} → {@code amd64} ... */
    public static String goarch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "arm", "arm32" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
    }

    /**
     * The host name as the original picks it: the kernel name if it has a dot, else the resolver's
     * FQDN when its first label is the kernel name, else the kernel name.
     */
    public static String hostname() {
        String kernel = kernelHostname();
        if (kernel.contains(".")) {
            return kernel;
        }
        try {
            String fqdn = InetAddress.getByName(kernel).getCanonicalHostName();
            if (fqdn.contains(".") && fqdn.substring(0, fqdn.indexOf('.')).equals(kernel)) {
                return fqdn;
            }
        } catch (IOException e) {
            LOG.debug("no FQDN for {}: {}", kernel, e.toString());
        }
        return kernel;
    }

    private static String kernelHostname() {
        Path proc = Path.of("/proc/sys/kernel/hostname");
        try {
            if (Files.isReadable(proc)) {
                String h = Files.readString(proc, StandardCharsets.UTF_8).strip();
                if (!h.isEmpty()) {
                    return h;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            LOG.warn("cannot find the host name ({}); reporting 'localhost'", e.toString());
            return "localhost";
        }
    }

    /**
     * The distribution ident as {@code lsb_release -i -r -c -s} prints it, which is what the
     * original reported on most systems ({@code Debian 12 bookworm}): computed from
     * {@code /etc/os-release} the way Debian's {@code lsb_release} does, without running it.
     * Falls back to the first line of {@code /etc/issue} (the original's second choice), else empty.
     */
    public static String ident() {
        for (Path p : List.of(Path.of("/etc/os-release"), Path.of("/usr/lib/os-release"))) {
            Optional<String> text = read(p);
            if (text.isPresent()) {
                return identFromOsRelease(text.get());
            }
        }
        Optional<String> issue = read(Path.of("/etc/issue"));
        if (issue.isPresent()) {
            int nl = issue.get().indexOf('\n');
            if (nl >= 2) {
                String first = issue.get().substring(0, nl);
                if (first.length() > 3) {
                    return first;
                }
            }
        }
        LOG.info("warning, no valid linux os identification could be found");
        return "";
    }

    /** {@code "<Distributor ID> <Release> <Codename>"} from os-release text, as lsb_release does. */
    static String identFromOsRelease(String text) {
        Map<String, String> v = parseOsRelease(text);
        String id = v.getOrDefault("ID", "");
        if (!id.isEmpty()) {
            id = id.substring(0, 1).toUpperCase(Locale.ROOT) + id.substring(1);
        }
        String name = v.get("NAME");
        if (name != null && name.toLowerCase(Locale.ROOT).equals(id.toLowerCase(Locale.ROOT))) {
            id = name;
        }
        return orNa(id) + " " + orNa(v.get("VERSION_ID")) + " " + orNa(v.get("VERSION_CODENAME"));
    }

    private static String orNa(String s) {
        return s == null || s.isEmpty() ? "n/a" : s;
    }

    static Map<String, String> parseOsRelease(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.isEmpty() || l.startsWith("#") || eq < 1) {
                continue;
            }
            String value = l.substring(eq + 1).strip();
            if (value.length() >= 2
                    && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1);
                if (l.charAt(eq + 1) == '"') {
                    value = value.replaceAll("\\\\([\"$`\\\\])", "$1");
                }
            }
            out.put(l.substring(0, eq).strip(), value);
        }
        return out;
    }

    /**
     * The init system: {@code systemd} when {@code /run/systemd/system} exists (systemd's own
     * test), else the original's reading of {@code /proc/1/cmdline}: {@code init [} → sysvinit,
     * {@code systemd} → systemd, {@code init} → upstart unless it links to systemd, anything else
     * → sysvinit. {@code launchd} on darwin, {@code windows} on Windows.
     */
    public static String init(String goos) {
        if (goos.equals("darwin")) {
            return "launchd";
        }
        if (goos.equals("windows")) {
            return "windows";
        }
        if (Files.isDirectory(Path.of("/run/systemd/system"))) {
            return "systemd";
        }
        String cmdline;
        try {
            cmdline = new String(Files.readAllBytes(Path.of("/proc/1/cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.debug("cannot read /proc/1/cmdline: {}", e.toString());
            return "sysvinit-fallback";
        }
        return initFromCmdline(cmdline.replaceAll("\u0000+$", ""), EnvironmentProbe::linksToSystemd);
    }

    static String initFromCmdline(String init, java.util.function.Predicate<String> linksToSystemd) {
        if (init.contains("init [")) {
            return "sysvinit";
        }
        if (init.contains("systemd")) {
            return "systemd";
        }
        if (init.contains("init")) {
            String path = init.startsWith("/sbin/init") ? "/sbin/init" : init;
            return linksToSystemd.test(path) ? "systemd" : "upstart";
        }
        return "sysvinit";
    }

    private static boolean linksToSystemd(String path) {
        try {
            return Path.of(path).toRealPath().toString().contains("systemd");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Every interface address as {@code ip/prefix}, in interface order, IPv4 before IPv6, leaving
     * out exactly {@code 127.0.0.1/8} and {@code ::1/128} as the original does.
     */
    public static List<String> addresses() {
        List<NetworkInterface> ifaces;
        try {
            ifaces = Collections.list(NetworkInterface.getNetworkInterfaces());
        } catch (SocketException | NullPointerException e) {
            LOG.warn("cannot list network interfaces: {}", String.valueOf(e));
            return List.of();
        }
        ifaces.sort(Comparator.comparingInt(NetworkInterface::getIndex));
        List<String> out = new ArrayList<>();
        for (NetworkInterface ni : ifaces) {
            List<InterfaceAddress> addrs = new ArrayList<>(ni.getInterfaceAddresses());
            addrs.sort(Comparator.comparingInt(a -> a.getAddress().getAddress().length));
            for (InterfaceAddress a : addrs) {
                String cidr = GoIp.format(a.getAddress()) + "/" + a.getNetworkPrefixLength();
                if (!cidr.equals("127.0.0.1/8") && !cidr.equals("::1/128")) {
                    out.add(cidr);
                }
            }
        }
        return out;
    }

    private static Optional<String> read(Path p) {
        try {
            return Files.isReadable(p) ? Optional.of(Files.readString(p, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

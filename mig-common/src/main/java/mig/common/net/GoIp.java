package mig.common.net;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * IP addresses read and written exactly as Go's {@code net} package does (Go 1.19, the original's
 * toolchain). {@link java.net.InetAddress} is not used because it resolves host names, accepts
 * forms Go refuses (octal, shortened IPv4) and prints IPv6 without {@code ::} compression, while
 * the wire carries Go's {@code net.IP.String()} text.
 *
 * <p>Addresses are 16 bytes (IPv4 as IPv4-mapped {@code ::ffff:a.b.c.d}, like Go's
 * {@code ParseIP}) or 4 bytes (as read from {@code /proc/net/tcp}). The agent's addresses and
 * the netstat module's results are both printed here, so they read as the original's.
 */
public final class GoIp {

    private static final byte[] V4_IN_V6_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private GoIp() {}

    /** Go's {@code net.ParseIP}: dotted IPv4 (no leading zeros) or IPv6 (no zone); 16 bytes. */
    public static Optional<byte[]> parse(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                return Optional.ofNullable(parseV4(s));
            }
            if (c == ':') {
                return Optional.ofNullable(parseV6(s));
            }
        }
        return Optional.empty();
    }

    /** Go's {@code parseIPv4}: exactly four decimal parts 0-255 without leading zeros; null if not. */
    public static byte[] parseV4(String s) {
        byte[] ip = new byte[16];
        System.arraycopy(V4_IN_V6_PREFIX, 0, ip, 0, 12);
        int pos = 0;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (pos >= s.length() || s.charAt(pos) != '.') {
                    return null;
                }
                pos++;
            }
            int start = pos;
            int n = 0;
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
                n = n * 10 + s.charAt(pos) - '0';
                pos++;
                if (n > 0xFF) {
                    return null;
                }
            }
            if (pos == start || pos - start > 1 && s.charAt(start) == '0') {
                return null;
            }
            ip[12 + part] = (byte) n;
        }
        return pos == s.length() ? ip : null;
    }

    /** Go's {@code parseIPv6} (no zone): hex groups, one {@code ::}, optional trailing IPv4. */
    public static byte[] parseV6(String s) {
        byte[] ip = new byte[16];
        int ellipsis = -1;
        if (s.startsWith("::")) {
            ellipsis = 0;
            s = s.substring(2);
            if (s.isEmpty()) {
                return ip;
            }
        }
        int i = 0;
        while (i < 16) {
            int c = 0;
            int n = 0;
            while (c < s.length() && Character.digit(s.charAt(c), 16) >= 0 && s.charAt(c) < 128) {
                n = n * 16 + Character.digit(s.charAt(c), 16);
                c++;
                if (n >= 0xFFFFFF) {
                    return null;
                }
            }
            if (c == 0 || n > 0xFFFF) {
                return null;
            }
            if (c < s.length() && s.charAt(c) == '.') {
                if (ellipsis < 0 && i != 12 || i + 4 > 16) {
                    return null;
                }
                byte[] v4 = parseV4(s);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 12, ip, i, 4);
                s = "";
                i += 4;
                break;
            }
            ip[i] = (byte) (n >> 8);
            ip[i + 1] = (byte) n;
            i += 2;
            s = s.substring(c);
            if (s.isEmpty()) {
                break;
            }
            if (s.charAt(0) != ':' || s.length() == 1) {
                return null;
            }
            s = s.substring(1);
            if (s.charAt(0) == ':') {
                if (ellipsis >= 0) {
                    return null;
                }
                ellipsis = i;
                s = s.substring(1);
                if (s.isEmpty()) {
                    break;
                }
            }
        }
        if (!s.isEmpty()) {
            return null;
        }
        if (i < 16) {
            if (ellipsis < 0) {
                return null;
            }
            int n = 16 - i;
            for (int j = i - 1; j >= ellipsis; j--) {
                ip[j + n] = ip[j];
            }
            Arrays.fill(ip, ellipsis, ellipsis + n, (byte) 0);
        } else if (ellipsis >= 0) {
            return null; // "::" must stand for at least one zero group
        }
        return ip;
    }

    /** Go's {@code IP.To4}: the 4-byte form of an IPv4 or IPv4-mapped address, else null. */
    public static byte[] to4(byte[] ip) {
        if (ip.length == 4) {
            return ip;
        }
        if (ip.length == 16 && Arrays.equals(ip, 0, 12, V4_IN_V6_PREFIX, 0, 12)) {
            return Arrays.copyOfRange(ip, 12, 16);
        }
        return null;
    }

    /** Go's {@code IP.String()}: dotted IPv4 (also for IPv4-mapped), else RFC 5952 IPv6. */
    public static String format(byte[] ip) {
        byte[] v4 = to4(ip);
        if (v4 != null) {
            return (v4[0] & 0xFF) + "." + (v4[1] & 0xFF) + "." + (v4[2] & 0xFF) + "." + (v4[3] & 0xFF);
        }
        if (ip.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + ip.length);
        }
        // the longest run of zero groups (the first one on ties), if at least two groups long
        int e0 = -1;
        int e1 = -1;
        for (int i = 0; i < 16; i += 2) {
            int j = i;
            while (j < 16 && ip[j] == 0 && ip[j + 1] == 0) {
                j += 2;
            }
            if (j > i && j - i > e1 - e0) {
                e0 = i;
                e1 = j;
                i = j;
            }
        }
        if (e1 - e0 <= 2) {
            e0 = -1;
            e1 = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 16; i += 2) {
            if (i == e0) {
                sb.append("::");
                i = e1;
                if (i >= 16) {
                    break;
                }
            } else if (i > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString((ip[i] & 0xFF) << 8 | ip[i + 1] & 0xFF));
        }
        return sb.toString();
    }

    /** Go's {@code IP.String()} of a Java address (a scope or zone is not printed, as in Go). */
    public static String format(InetAddress address) {
        return format(address.getAddress());
    }

    /** True for the all-zero address ({@code 0.0.0.0} or {@code ::}). */
    public static boolean isUnspecified(byte[] ip) {
        for (byte b : ip) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}

package mig.modules.netstat;

import java.util.Arrays;
import java.util.Optional;
import mig.common.net.GoIp;

/**
 * An IP network as Go's {@code net.IPNet} matches it: an IPv4 network contains IPv4 addresses and
 * their IPv4-mapped IPv6 forms (so {@code 10.0.0.0/8} finds a peer seen in {@code /proc/net/tcp6} as
 * {@code ::ffff:10.1.2.3}), an IPv6 network contains other IPv6 addresses only. A single address is
 * a network with a full mask, as the original's queries treat it.
 *
 * @param network network number, 4 or 16 bytes (Go's {@code networkNumberAndMask})
 * @param mask    mask of the same length
 * @param ipv4    true when the query was an IPv4 address or network (it then also searches the
 *                IPv6 tables for IPv4-mapped peers, as the original does)
 */
record IpNet(byte[] network, byte[] mask, boolean ipv4) {

    /** A query value: an address, or a CIDR when it has a {@code /} after its first character. */
    static Optional<IpNet> parseQuery(String value) {
        return value.indexOf('/') > 0 ? parseCidr(value) : GoIp.parse(value).map(IpNet::single);
    }

    /** Go's {@code net.ParseCIDR}: an address, {@code /}, a decimal prefix length within range. */
    static Optional<IpNet> parseCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String addr = s.substring(0, slash);
        String bits = s.substring(slash + 1);
        byte[] ip = GoIp.parseV4(addr);
        int ipLength = 4;
        if (ip == null) {
            ipLength = 16;
            ip = GoIp.parseV6(addr);
        }
        if (ip == null || bits.isEmpty() || bits.length() > 8 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        int n = Integer.parseInt(bits);
        if (n > ipLength * 8) {
            return Optional.empty();
        }
        byte[] mask = cidrMask(n, ipLength);
        boolean v4 = GoIp.to4(ip) != null;
        byte[] base = ipLength == 4 ? GoIp.to4(ip) : ip;
        byte[] network = new byte[base.length];
        for (int i = 0; i < base.length; i++) {
            network[i] = (byte) (base[i] & mask[i]);
        }
        return Optional.of(normalized(network, mask, v4));
    }

    /** One address: matches itself only (IPv4 also in its IPv4-mapped form). */
    static IpNet single(byte[] ip) {
        byte[] v4 = GoIp.to4(ip);
        return v4 != null ? new IpNet(v4, cidrMask(32, 4), true) : new IpNet(ip.clone(), cidrMask(128, 16), false);
    }

    /** Go's {@code IPNet.Contains}. */
    boolean contains(byte[] ip) {
        byte[] v4 = GoIp.to4(ip);
        byte[] x = v4 != null ? v4 : ip;
        if (x.length != network.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if ((network[i] & mask[i]) != (x[i] & mask[i])) {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code networkNumberAndMask}: an IPv4-mapped IPv6 network works on 4 bytes. */
    private static IpNet normalized(byte[] network, byte[] mask, boolean v4) {
        byte[] nn = GoIp.to4(network);
        if (nn == null) {
            return new IpNet(network, mask, v4);
        }
        byte[] m = mask.length == 16 ? Arrays.copyOfRange(mask, 12, 16) : mask;
        return new IpNet(nn, m, v4);
    }

    private static byte[] cidrMask(int ones, int bytes) {
        byte[] m = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            int bitsHere = Math.max(0, Math.min(8, ones - i * 8));
            m[i] = (byte) (0xFF << (8 - bitsHere));
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpNet other
                && Arrays.equals(network, other.network)
                && Arrays.equals(mask, other.mask)
                && ipv4 == other.ipv4;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + Arrays.hashCode(mask) + (ipv4 ? 1 : 0);
    }

    @Override
    public String toString() {
        return GoIp.format(network) + " mask " + GoIp.format(mask);
    }
}

package mig.api;

import java.net.InetAddress;
import java.util.regex.Pattern;
import mig.api.http.Text;
import mig.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the caller's public IP comes from ({@code [server] clientpublicip}): the socket peer
 * ({@code peer}, the default) or an entry of {@code X-Forwarded-For} counted from its end
 * ({@code x-forwarded-for:0} is the last one, the address the closest proxy saw).
 *
 * @param xffOffset -1 for the socket peer, else the offset from the end of X-Forwarded-For
 */
public record ClientIp(int xffOffset) {
    private static final Logger LOG = LoggerFactory.getLogger(ClientIp.class);
    private static final Pattern IP_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    public static final ClientIp PEER = new ClientIp(-1);

    /** Parses {@code peer} or {@code x-forwarded-for:<n>}. */
    public static ClientIp parse(String setting) {
        if (setting == null || setting.isEmpty() || setting.equals("peer")) {
            return PEER;
        }
        String[] parts = setting.split(":", -1);
        if (parts.length != 2 || !parts[0].equals("x-forwarded-for")) {
            throw new ConfigException(
                    "[server] clientpublicip must be peer or x-forwarded-for:<int>, got '" + setting + "'");
        }
        try {
            int n = Integer.parseInt(parts[1]);
            if (n >= 0) {
                return new ClientIp(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("[server] clientpublicip: the x-forwarded-for offset must be a positive integer "
                + "or zero, got '" + parts[1] + "'");
    }

    /** The caller's IP as text, or {@code 0.0.0.0} when it cannot be determined (as the original). */
    public String resolve(String peer, String xff) {
        String ip;
        if (xffOffset < 0) {
            ip = peer;
        } else if (xff == null || xff.isBlank()) {
            LOG.warn("API configured to use X-Forwarded-For but header not found");
            return "0.0.0.0";
        } else {
            String[] hops = xff.split(",");
            if (xffOffset >= hops.length) {
                LOG.warn(
                        "requested X-Forwarded-For offset {} is not possible, not enough elements in '{}'",
                        xffOffset,
                        Text.shorten(xff));
                ip = hops[0].strip();
            } else {
                ip = hops[hops.length - 1 - xffOffset].strip();
            }
        }
        if (ip != null && ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (ip == null || !isIpLiteral(ip)) {
            LOG.warn("obtained client public IP '{}' is invalid", Text.shorten(ip));
            return "0.0.0.0";
        }
        return ip;
    }

    private static boolean isIpLiteral(String s) {
        if (!IP_CHARS.matcher(s).matches()) {
            return false; // also keeps InetAddress from doing a DNS lookup
        }
        try {
            InetAddress.getByName(s);
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}

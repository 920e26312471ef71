package mig.agent.env;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import mig.common.net.GoIp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Public IP discovery: {@code GET <api>/ip} answers the caller's address as plain text, as the
 * original's API does. The API refuses heartbeats without a public IP, so when discovery fails the
 * agent reports the first local address (IPv4 preferred), else {@code 127.0.0.1}, and says so.
 */
public final class PublicIp {

    private static final Logger LOG = LoggerFactory.getLogger(PublicIp.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$");

    private PublicIp() {}

    /** The address {@code url} answers, if it answers 200 with an IP literal. */
    public static Optional<String> discover(ApiHttp http, String url) {
        try {
            ApiHttp.Response resp = http.get(url, TIMEOUT);
            if (resp.status() != 200) {
                LOG.info("public IP retrieval from {} failed: HTTP {}", url, resp.status());
                return Optional.empty();
            }
            Optional<String> ip = parse(resp.body());
            if (ip.isEmpty()) {
                LOG.warn("public IP API {} returned bad results: '{}'", url, abbreviate(resp.body()));
            }
            return ip;
        } catch (IOException | IllegalArgumentException e) {
            LOG.info(
                    "public IP retrieval from {} failed: {}",
                    url,
                    e.getMessage() == null && e.getCause() != null
                            ? e.getCause().toString()
                            : e.toString());
            return Optional.empty();
        }
    }

    /** The IP literal in a response body, in Go's notation; never a name lookup. */
    static Optional<String> parse(String body) {
        String s = body.strip();
        if (!IPV4.matcher(s).matches() && !IPV6.matcher(s).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(GoIp.format(InetAddress.getByName(s)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The stand-in when discovery failed: the first IPv4 address, else the first address, else 127.0.0.1. */
    public static String fallback(List<String> addresses) {
        List<String> ips = addresses.stream()
                .map(a -> a.contains("/") ? a.substring(0, a.indexOf('/')) : a)
                .toList();
        return ips.stream()
                .filter(ip -> !ip.contains(":"))
                .findFirst()
                .or(() -> ips.stream().findFirst())
                .orElse("127.0.0.1");
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}

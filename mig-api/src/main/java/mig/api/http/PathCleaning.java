package mig.api.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The original's path cleaning: its API is a gorilla/mux router behind Go's {@code http.ServeMux}
 * ({@code http.Handle("/", r)}), and the ServeMux answers any request whose decoded path is not
 * clean ({@code //}, {@code /./}, {@code /../}) with a 301 to {@code path.Clean} of it, trailing
 * slash kept, query string kept, whatever the method.
 *
 * <p>Original agents depend on it: with the sample {@code api = "http://host:1664/api/v1/"} they ask
 * for {@code /api/v1//ip} and follow the redirect. Go's client re-sends a redirected POST as a GET
 * without body; a trailing slash is not a cleaning matter (no redirect, the route decides).
 *
 * <p>Bytes as Go 1.19's {@code http.Redirect} writes them: {@code Location} is the escaped clean path
 * plus {@code ?} and the raw query when there is one; a GET gets {@code text/html} and
 * {@code <a href="...">Moved Permanently</a>.} with two newlines, a HEAD the header only, any other
 * method neither.
 */
public final class PathCleaning {
    /**
     * Longest {@code Location} we redirect to. Go has no such limit, but a 9 kB Location left Jetty's
     * connection open until its 30 s idle timeout (found by ApiRoutesFuzzIT: 1,500 '(' after a
     * {@code //}, each escaped to {@code %28}), and a client could not follow a Location that long
     * anyway: our own request line and headers are limited to 8 kB.
     */
    public static final int MAX_LOCATION = 4096;

    private PathCleaning() {}

    /** A before-handler: answers the redirect and stops there when the path is not clean. */
    public static void redirectUnclean(Context ctx) {
        String raw = ctx.req().getRequestURI(); // as sent, still escaped, without the query
        String decoded = decode(raw);
        if (decoded == null) {
            return; // a bad escape: Go refuses it as a bad request before routing; the routes say why
        }
        String clean = clean(decoded);
        if (clean.equals(decoded)) {
            return;
        }
        String query = ctx.req().getQueryString();
        String location = escapePath(clean) + (query == null || query.isEmpty() ? "" : "?" + query);
        if (location.length() > MAX_LOCATION) {
            ctx.status(414);
            ctx.contentType("text/plain; charset=utf-8");
            ctx.result("414 URI Too Long: the path is not clean, and the clean one is longer than the " + MAX_LOCATION
                    + " characters a redirect may take\n");
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.status(301);
        ctx.header("Location", location);
        String method = ctx.req().getMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            ctx.header("Content-Type", "text/html; charset=utf-8");
        } else {
            ctx.res().setContentType(null); // Javalin's default text/plain; Go sends no type here
        }
        if (method.equals("GET")) {
            ctx.result("<a href=\"" + htmlEscape(location) + "\">Moved Permanently</a>.\n\n");
        }
        ctx.skipRemainingHandlers();
    }

    /** Go's {@code cleanPath} of net/http (and gorilla/mux): {@code path.Clean}, trailing slash kept. */
    static String clean(String p) {
        if (p.isEmpty()) {
            return "/";
        }
        if (p.charAt(0) != '/') {
            p = "/" + p;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : p.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                parts.pollLast(); // ".." at the root stays at the root
            } else {
                parts.addLast(seg);
            }
        }
        String np = "/" + String.join("/", parts);
        if (p.endsWith("/") && !np.equals("/")) {
            np += "/";
        }
        return np;
    }

    /** Percent-decoding of a path as Go's url.PathUnescape does ('+' stays), or null on a bad escape. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        byte[] b = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '%') {
                if (i + 2 >= b.length || Character.digit(b[i + 1], 16) < 0 || Character.digit(b[i + 2], 16) < 0) {
                    return null;
                }
                out.write(Character.digit(b[i + 1], 16) * 16 + Character.digit(b[i + 2], 16));
                i += 2;
            } else {
                out.write(b[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Go's url escaping in encodePath mode (what {@code URL.String()} writes for a path). */
    static String escapePath(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            boolean keep = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-_.~$&+,/:;=@".indexOf(c) >= 0;
            if (keep) {
                sb.append((char) c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    private static String htmlEscape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&#34;")
                .replace("'", "&#39;");
    }
}

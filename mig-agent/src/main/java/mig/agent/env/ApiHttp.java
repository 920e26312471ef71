package mig.agent.env;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The agent's two HTTP calls to the MIG API ({@code GET /ip}, {@code POST /heartbeat}), over
 * {@link HttpURLConnection}. Why not {@code java.net.http.HttpClient}: it starts a selector thread
 * and loads the whole TLS stack (about 500 classes, several MB of an idle agent's memory) even for
 * {@code http://}; this loads TLS only for an {@code https://} API and uses the calling thread.
 */
public final class ApiHttp {

    /** A response: the status and the body as text (bodies here are small). */
    public record Response(int status, String body) {}

    private final Duration connectTimeout;

    public ApiHttp(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** {@code GET url}. @throws IOException on a transport failure (refused, timed out, bad URL) */
    public Response get(String url, Duration timeout) throws IOException {
        return exchange(open(url, timeout, "GET"), null);
    }

    /** {@code POST url} with a JSON body. @throws IOException on a transport failure */
    public Response postJson(String url, String json, Duration timeout) throws IOException {
        return postJson(url, json.getBytes(StandardCharsets.UTF_8), timeout, Map.of());
    }

    /** {@code POST url} with a JSON body and extra headers. @throws IOException on a transport failure */
    public Response postJson(String url, byte[] json, Duration timeout, Map<String, String> headers)
            throws IOException {
        HttpURLConnection c = open(url, timeout, "POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        headers.forEach(c::setRequestProperty);
        return exchange(c, json);
    }

    private HttpURLConnection open(String url, Duration timeout, String method) throws IOException {
        URL u;
        try {
            u = URI.create(url).toURL();
        } catch (IllegalArgumentException e) {
            throw new IOException("bad URL " + url + ": " + e.getMessage(), e);
        }
        HttpURLConnection c = (HttpURLConnection) u.openConnection();
        c.setConnectTimeout((int) connectTimeout.toMillis());
        c.setReadTimeout((int) timeout.toMillis());
        c.setRequestMethod(method);
        c.setUseCaches(false);
        c.setInstanceFollowRedirects(false);
        return c;
    }

    private static Response exchange(HttpURLConnection c, byte[] body) throws IOException {
        try {
            if (body != null) {
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = "";
            if (in != null) {
                try (in) {
                    text = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
                }
            }
            return new Response(status, text);
        } finally {
            c.disconnect();
        }
    }
}

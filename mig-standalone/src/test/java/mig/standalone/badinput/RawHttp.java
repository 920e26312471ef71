package mig.standalone.badinput;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection, bytes exactly as given: a bad input
 * test must be able to send what {@link java.net.http.HttpClient} refuses to build (malformed
 * escapes in the request target, odd methods, oversized headers). A request that gets no answer
 * within {@link #TIMEOUT_MILLIS} is reported as status {@link #HANG}.
 */
final class RawHttp {

    /** A hang detector, not a speed check: a minute, since a loaded machine (load 30) can take 15 s. */
    static final int TIMEOUT_MILLIS = 60_000;
    /** The status reported when the server did not answer in time. */
    static final int HANG = -1;
    /** The status reported when the server closed the connection without an answer. */
    static final int NO_ANSWER = 0;

    /** An answer: the status code and the body (as text). */
    record Answer(int status, String body) {}

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    Answer send(String method, String target, Map<String, String> headers, byte[] body) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(TIMEOUT_MILLIS);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            head.append("Connection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException e) {
                // The server answered early and closed (413); read what it said.
            }
            return read(s.getInputStream());
        } catch (SocketTimeoutException e) {
            return new Answer(HANG, "no answer within " + TIMEOUT_MILLIS + " ms");
        } catch (IOException e) {
            return new Answer(NO_ANSWER, e.toString());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (IOException e) {
            if (e instanceof SocketTimeoutException && all.size() == 0) {
                throw (SocketTimeoutException) e;
            }
            // reset after the answer: keep what came
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.")) {
            return new Answer(NO_ANSWER, text);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        int bodyAt = text.indexOf("\r\n\r\n");
        String body = bodyAt < 0
                ? ""
                : new String(all.toByteArray(), bodyAt + 4, all.size() - bodyAt - 4, StandardCharsets.UTF_8);
        return new Answer(status, body);
    }
}

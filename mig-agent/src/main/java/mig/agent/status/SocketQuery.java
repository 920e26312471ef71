package mig.agent.status;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code mig-agent -q pid|shutdown}: asks the running agent through its stat socket and prints the
 * answer, as the original does. {@code shutdown} sends the agent id read from
 * {@code <rundir>/.migagtid} (so only someone who can read it, root, may stop the agent), then
 * polls {@code /pid} until the agent is gone, printing a dot per poll, and prints {@code done}.
 */
public final class SocketQuery {

    private static final Duration POLL = Duration.ofMillis(353);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private SocketQuery() {}

    /** A query the agent refused or could not answer; the message is what to print. */
    public static final class QueryException extends Exception {
        private static final long serialVersionUID = 1L;

        QueryException(String message) {
            super(message);
        }
    }

    /**
     * Runs one query.
     *
     * @param maxWait how long {@code shutdown} waits for the agent to go away
     * @throws QueryException with a message naming the socket and what went wrong
     */
    public static void run(String bind, String query, Path runDir, PrintStream out, Duration maxWait)
            throws QueryException, InterruptedException {
        InetSocketAddress address = StatSocket.parse(bind);
        String base = "http://" + hostPart(address) + ":" + address.getPort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        switch (query) {
            case "pid" -> {
                HttpResponse<String> r = get(http, base + "/pid", null);
                out.println(r.body());
            }
            case "shutdown" -> {
                String uid;
                Path idFile = runDir.resolve(".migagtid");
                try {
                    uid = Files.readString(idFile, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new QueryException("cannot read the agent id in " + idFile + " (" + e.getMessage()
                            + "); run as root, and with -rundir if the agent uses another run folder");
                }
                HttpResponse<String> r = get(http, base + "/shutdown", uid);
                if (r.statusCode() != 200) {
                    throw new QueryException("the agent at " + bind + " refused: HTTP " + r.statusCode() + " "
                            + r.body().strip());
                }
                out.print("agent shutdown requested, waiting for completion...");
                long end = System.nanoTime() + maxWait.toNanos();
                while (true) {
                    Thread.sleep(POLL.toMillis());
                    out.print(".");
                    out.flush();
                    try {
                        get(http, base + "/pid", null);
                    } catch (QueryException gone) {
                        out.println();
                        out.println("done");
                        return;
                    }
                    if (System.nanoTime() > end) {
                        out.println();
                        throw new QueryException(
                                "the agent at " + bind + " still answers after " + maxWait.toSeconds() + "s");
                    }
                }
            }
            default -> throw new QueryException("unknown command \"" + query + "\": use -q pid or -q shutdown");
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url, String agentId)
            throws QueryException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
        if (agentId != null) {
            b.header("AGENTID", agentId);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new QueryException(
                    "no agent answers on " + url + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
    }

    private static String hostPart(InetSocketAddress a) {
        String h = a.getHostString();
        return h.contains(":") ? "[" + h + "]" : h;
    }
}

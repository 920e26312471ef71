package mig.modules.ping;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.GoDecode;
import mig.modules.GoFlags;
import mig.modules.HasParamsParser;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.ParameterException;
import mig.modules.RunContext;

/**
 * The {@code ping} module: whether this endpoint reaches a destination over ICMP, TCP or UDP, with
 * the original's parameters ({@code destination}, {@code destinationport}, {@code protocol},
 * {@code count}, {@code timeout}), latencies (9999999 for a timeout, -1 for refused or
 * unreachable, 0 for another failure, listed in {@code failures}) and printed lines.
 *
 * <p>Differences, documented in {@code docs/modules/ping.md}: ICMP goes through
 * {@link java.net.InetAddress#isReachable} (an echo request on a raw socket when the agent runs as
 * root, otherwise a TCP connection to port 7); a refused or timed-out TCP ping is reported as -1
 * or 9999999 as the original's code meant to, where its {@code defer conn.Close()} on a failed
 * dial panicked with a nil pointer error; the pings stop at the run's deadline.
 */
public final class PingModule implements Module, HasParamsParser, HasResultsPrinter {

    /** The original's {@code printHelp(true)}. */
    static final String HELP = """
            Ping module checks connectivity between an endpoint and a remote host. It supports
            icmp, tcp and udp ping.

            -d <ip/fqdn>\tDestination Address can be ipv4, ipv6 or FQDN
            \t\texample: -d www.mozilla.org
            \t\t\t -d 63.245.217.105

            -dp <port>\tFor TCP and UDP, specifies the port to test connectivity to
            \t\texample: -dp 53

            -p <protocol>\tProtocol to use for the ping. This can be "icmp", "tcp" or "udp"
            \t\texample: -p udp

            -c <count>\tNumber of ping/connection attempts. Defaults to 3.
            \t\texample: -c 5

            -t <timeout>\tConnection timeout in seconds. Defaults to 5.
            \t\texample: -t 10
            """;

    static final double TIMEOUT = 9999999;
    static final double REFUSED = -1;
    /** The original slept this long after each ping, "to prevent floods". */
    private static final long PAUSE_MILLIS = 100;

    private final Pinger pinger;

    public PingModule() {
        this(new Pinger());
    }

    PingModule(Pinger pinger) {
        this.pinger = pinger;
    }

    @Override
    public String name() {
        return "ping";
    }

    /** The parameters, as the original's {@code params} after {@code ValidateParameters}. */
    record Params(String destination, double port, String protocol, double count, double timeout, String ipDest) {}

    /** The original's elements, in its field order; Go's nil slices are {@code null}. */
    record Elements(
            @JsonProperty("latencies") List<Double> latencies,
            @JsonProperty("protocol") String protocol,
            @JsonProperty("resolvedhost") String resolvedHost,
            @JsonProperty("failures") List<String> failures) {}

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        try {
            Params p = validate(read(parameters));
            String resolved = p.destination();
            if (!p.protocol().equals("icmp")) {
                resolved += ":" + goFixed0(p.port());
            }
            resolved += " (" + p.ipDest() + ")";
            List<Double> latencies = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            boolean found = false;
            long count = goInt(p.count());
            long timeoutNanos = goInt(p.timeout()) * 1_000_000_000L; // Go's time.Duration(t) * time.Second
            for (long i = 0; i < count; i++) {
                if (context.pastDeadline() || Thread.currentThread().isInterrupted()) {
                    errors.add((context.pastDeadline() ? "deadline reached" : "interrupted") + " after " + i + " of "
                            + count + " pings");
                    break;
                }
                long start = System.nanoTime();
                Pinger.Outcome o = pinger.ping(p, timeoutNanos, context);
                long took = System.nanoTime() - start;
                double latency = ((double) (took / 1_000_000_000L) + (double) (took % 1_000_000_000L) / 1e9) * 1000;
                switch (o.kind()) {
                    case TIMEOUT -> latency = TIMEOUT;
                    case REFUSED -> latency = REFUSED;
                    case FAILED -> {
                        failures.add("ping #" + (i + 1) + " failed with error: " + o.error());
                        latency = 0;
                    }
                    case OK -> {}
                }
                if (latency == TIMEOUT) {
                    if (p.protocol().equals("udp")) {
                        found = true;
                    }
                } else if (latency != REFUSED && latency != 0) {
                    found = true;
                }
                latencies.add(latency);
                try {
                    Thread.sleep(Math.max(
                            0, Math.min(PAUSE_MILLIS, context.remaining().toMillis())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Elements el = new Elements(
                    latencies.isEmpty() ? null : latencies,
                    p.protocol(),
                    resolved,
                    failures.isEmpty() ? null : failures);
            return new ModuleResult(
                    found,
                    errors.isEmpty(),
                    JsonNodeFactory.instance.pojoNode(el),
                    null,
                    errors.isEmpty() ? null : errors);
        } catch (ParameterException e) {
            return new ModuleResult(false, false, null, null, List.of(e.getMessage()));
        } catch (RuntimeException e) {
            return new ModuleResult(false, false, null, null, List.of(String.valueOf(e)));
        }
    }

    /** The parameters document, read as Go's {@code encoding/json} read it into {@code ping.params}. */
    static Params read(JsonNode parameters) throws ParameterException {
        JsonNode p = GoDecode.object(parameters, "ping.params");
        String destination = GoDecode.string(p, "destination", "params.destination");
        double port = GoDecode.number(p, "destinationport", "params.destinationport");
        String protocol = GoDecode.string(p, "protocol", "params.protocol");
        double count = GoDecode.number(p, "count", "params.count");
        double timeout = GoDecode.number(p, "timeout", "params.timeout");
        return new Params(destination, port, protocol, count, timeout, "");
    }

    /** The original's {@code ValidateParameters}: protocol, port, destination resolved; count and timeout defaulted. */
    Params validate(Params p) throws ParameterException {
        switch (p.protocol()) {
            case "icmp", "udp", "tcp" -> {}
            default -> throw new ParameterException(p.protocol() + " is not a supported ping protocol");
        }
        if (!p.protocol().equals("icmp") && (p.port() < 0 || p.port() > 65535)) {
            throw new ParameterException(p.protocol()
                    + " ping requires a valid destination port between 0 and 65535, got " + goFixed0(p.port()));
        }
        String ip = pinger.lookupFirst(p.destination()).orElse(p.destination());
        if (!GoIp.isIp(ip)) {
            throw new ParameterException("destination IP is invalid: " + ip);
        }
        return new Params(
                p.destination(),
                p.port(),
                p.protocol(),
                p.count() == 0 ? 3 : p.count(),
                p.timeout() == 0 ? 5 : p.timeout(),
                ip);
    }

    /** Go's {@code fmt.Sprintf("%.0f", f)}: the exact value rounded half to even. */
    static String goFixed0(double f) {
        if (Double.isNaN(f)) {
            return "NaN";
        }
        if (Double.isInfinite(f)) {
            return f > 0 ? "+Inf" : "-Inf";
        }
        String s = new BigDecimal(f).setScale(0, RoundingMode.HALF_EVEN).toPlainString();
        return f < 0 || (f == 0 && 1 / f < 0) ? (s.startsWith("-") ? s : "-" + s) : s;
    }

    /**
     * Go's {@code int(f)} of a float64 on amd64: truncated toward zero; NaN and values out of the
     * int64 range give the minimum int64 (the conversion instruction's "indefinite integer").
     */
    static long goInt(double f) {
        if (Double.isNaN(f) || f >= 0x1p63 || f < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) f;
    }

    @Override
    public JsonNode parseArgs(List<String> args) throws ParameterException {
        if (args.isEmpty() || args.get(0).isEmpty() || args.get(0).equals("help")) {
            throw new ParameterException("help printed");
        }
        GoFlags f = new GoFlags(HELP)
                .repeatable("d")
                .number("dp", -1)
                .repeatable("p")
                .number("c", 3)
                .number("t", 5)
                .parse(args);
        Params p = new Params(
                f.lastOf("d", "www.google.com"),
                f.numberOf("dp"),
                f.lastOf("p", "icmp"),
                f.numberOf("c"),
                f.numberOf("t"),
                "");
        validate(p);
        // the original's params struct: destinationport, count and timeout are omitempty
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("destination", p.destination());
        if (p.port() != 0) {
            params.put("destinationport", p.port());
        }
        params.put("protocol", p.protocol());
        if (p.count() != 0) {
            params.put("count", p.count());
        }
        if (p.timeout() != 0) {
            params.put("timeout", p.timeout());
        }
        return params;
    }

    @Override
    public String help() {
        return HELP;
    }

    @Override
    public List<String> printResults(ModuleResult result, boolean foundOnly) {
        List<String> out = new ArrayList<>();
        JsonNode el = GoJson.tree(GoJson.marshal(result.elements()));
        String protocol = el.path("protocol").asText("");
        String host = el.path("resolvedhost").asText("");
        if (result.foundAnything()) {
            out.add(protocol + " ping of " + host + " succeeded. Target is reachable.");
        }
        if (foundOnly) {
            return out;
        }
        if (!result.foundAnything()) {
            out.add(protocol + " ping of " + host + " failed. Target is no reachable.");
        }
        int i = 0;
        for (JsonNode l : el.path("latencies")) {
            i++;
            double lat = l.asDouble();
            if (lat == REFUSED) {
                out.add("ping #" + i + " failed, target was unreachable");
            } else if (lat == 0) {
                out.add("ping #" + i + " failed, reason unknown");
            } else if (lat == TIMEOUT) {
                out.add(
                        protocol.equals("udp")
                                ? "ping #" + i + " may have succeeded (no udp response)"
                                : "ping #" + i + " failed, connection timed out");
            } else {
                out.add("ping #" + i + " succeeded in " + goFixed0(lat) + "ms");
            }
        }
        return out;
    }
}

package mig.modules.timedrift;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.config.GoDuration;
import mig.common.json.GoJson;
import mig.common.json.GoTime;
import mig.common.json.OmitEmpty;
import mig.modules.GoDecode;
import mig.modules.GoFlags;
import mig.modules.HasParamsParser;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.ParameterException;
import mig.modules.RunContext;

/**
 * The {@code timedrift} module: the endpoint's local time and, with {@code drift}, whether it is
 * within that window of NTP time.
 *
 * <p>As the original: the servers are the {@code server} lines of {@code /etc/ntp.conf}, then
 * {@code time.nist.gov} and {@code 0-3.pool.ntp.org}; each is asked once over UDP port 123 (5 s
 * to answer) until one answers; unreachable servers are listed in the statistics. The list and the
 * port can only be changed by the package-private constructor, for the tests' NTP responder on
 * loopback. See {@code docs/modules/timedrift.md}.
 */
public final class TimedriftModule implements Module, HasParamsParser, HasResultsPrinter {

    /** The original's NtpBackupPool. */
    static final List<String> BACKUP_POOL =
            List.of("time.nist.gov", "0.pool.ntp.org", "1.pool.ntp.org", "2.pool.ntp.org", "3.pool.ntp.org");

    /** The original's {@code printHelp(true)}. */
    static final String HELP = """
            timedrift returns the local time of a system and, when -drift is set,
            verifies that local time is within acceptable range of network time by querying NTP servers

            -drift <duration>\tallowed time drift window. a value of "5s" compares local
            \t\t\ttime with ntp hosts and returns a drift failure if local
            \t\t\ttime is too far out of sync.

            If no drift is set, the module only returns local time.
            """;

    private static final Instant NTP_EPOCH = Instant.parse("1900-01-01T00:00:00Z");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private final Path ntpConf;
    private final List<String> backupPool;
    private final int port;

    /** The module as the original: {@code /etc/ntp.conf}, the backup pool, port 123. */
    public TimedriftModule() {
        this(Path.of("/etc/ntp.conf"), BACKUP_POOL, 123);
    }

    /** Another configuration file, pool and port (tests, with a responder on loopback). */
    TimedriftModule(Path ntpConf, List<String> backupPool, int port) {
        this.ntpConf = ntpConf;
        this.backupPool = List.copyOf(backupPool);
        this.port = port;
    }

    @Override
    public String name() {
        return "timedrift";
    }

    /** One server's answer: its time and how long it took. */
    record NtpAnswer(Instant time, long latencyNanos) {}

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        String localTime = rfc3339Local(Instant.now());
        long t1 = System.nanoTime();
        List<String> errors = new ArrayList<>();
        try {
            JsonNode p = GoDecode.object(parameters, "timedrift.params");
            String driftText = GoDecode.string(p, "drift", "params.drift");
            if (driftText.isEmpty()) {
                return new ModuleResult(
                        true,
                        true,
                        pojo(new Elements(false, false, null, localTime)),
                        pojo(new Statistics(GoDuration.format(Duration.ofNanos(System.nanoTime() - t1)), null)),
                        null);
            }
            long drift = duration(driftText);
            boolean within = true;
            boolean checked = false;
            List<String> drifts = new ArrayList<>();
            List<NtpStat> ntpStats = new ArrayList<>();
            List<String> pool = new ArrayList<>(servers(errors));
            pool.addAll(backupPool);
            for (String host : pool) {
                NtpAnswer a = context.pastDeadline() ? null : query(host, context);
                if (a == null) {
                    ntpStats.add(new NtpStat(host, "0001-01-01T00:00:00Z", "", "", false));
                    continue;
                }
                Instant local = Instant.now();
                Instant t = a.time();
                if (local.isBefore(t.minusNanos(drift))) {
                    within = false;
                    drifts.add("Local time is behind ntp host " + host + " by "
                            + GoDuration.format(Duration.between(local, t)));
                } else if (local.isAfter(t.plusNanos(drift))) {
                    within = false;
                    drifts.add("Local time is ahead of ntp host " + host + " by "
                            + GoDuration.format(Duration.between(t, local)));
                }
                ntpStats.add(new NtpStat(
                        host,
                        rfc3339Local(t),
                        GoDuration.format(Duration.ofNanos(a.latencyNanos())),
                        GoDuration.format(Duration.between(t, local)),
                        true));
                checked = true;
                break;
            }
            Elements el = new Elements(checked, within, drifts.isEmpty() ? null : drifts, localTime);
            Statistics stats = new Statistics(
                    GoDuration.format(Duration.ofNanos(System.nanoTime() - t1)), ntpStats.isEmpty() ? null : ntpStats);
            boolean success = errors.isEmpty() && checked;
            return new ModuleResult(!within, success, pojo(el), pojo(stats), errors.isEmpty() ? null : errors);
        } catch (ParameterException | IllegalArgumentException e) {
            errors.add(e.getMessage());
            return new ModuleResult(false, false, null, null, errors);
        } catch (RuntimeException e) {
            errors.add(String.valueOf(e));
            return new ModuleResult(false, false, null, null, errors);
        }
    }

    private static JsonNode pojo(Object o) {
        return JsonNodeFactory.instance.pojoNode(o);
    }

    /** The original's elements, in its field order; {@code iswithindrift} and {@code drifts} omitempty. */
    record Elements(
            @JsonProperty("hascheckeddrift") boolean hasCheckedDrift,
            @JsonProperty("iswithindrift") @OmitEmpty boolean isWithinDrift,
            @JsonProperty("drifts") @OmitEmpty List<String> drifts,
            @JsonProperty("localtime") String localTime) {}

    /** The original's statistics; {@code ntpstats} omitempty. */
    record Statistics(
            @JsonProperty("exectime") String execTime,
            @JsonProperty("ntpstats") @OmitEmpty List<NtpStat> ntpStats) {}

    /** One server's line of the statistics. */
    record NtpStat(
            @JsonProperty("host") String host,
            @JsonProperty("time") String time,
            @JsonProperty("latency") String latency,
            @JsonProperty("drift") String drift,
            @JsonProperty("reachable") boolean reachable) {}

    private static long duration(String text) throws ParameterException {
        try {
            return GoParseDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(e.getMessage(), e);
        }
    }

    /** The {@code server} lines of the NTP configuration, or the original's error when it cannot be read. */
    private List<String> servers(List<String> errors) {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(ntpConf, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.strip().split("\\s+");
                if (f.length >= 2 && f[0].equals("server")) {
                    out.add(f[1]);
                }
            }
        } catch (NoSuchFileException e) {
            errors.add(openError("no such file or directory"));
        } catch (AccessDeniedException e) {
            errors.add(openError("permission denied"));
        } catch (IOException e) {
            errors.add(openError(String.valueOf(e.getMessage())));
        }
        return out;
    }

    private String openError(String why) {
        return "Using backup NTP hosts. Failed to read " + ntpConf + " with error 'open " + ntpConf + ": " + why + "'";
    }

    /** The original's GetNetworkTime: one mode-3 request, one answer within 5 s, its transmit time. */
    private NtpAnswer query(String host, RunContext context) {
        if (host.indexOf(':') >= 0) {
            return null; // Go's host+":123" of an IPv6 literal does not resolve: unreachable
        }
        try {
            InetAddress addr = InetAddress.getByName(host);
            byte[] data = new byte[48];
            data[0] = 3 << 3 | 3;
            long t1 = System.nanoTime();
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(new InetSocketAddress(addr, port));
                s.send(new DatagramPacket(data, data.length));
                long wait = Math.min(5_000, Math.max(1, context.remaining().toMillis()));
                s.setSoTimeout((int) wait);
                // the answer lands in the request's buffer, as in the original: a short answer
                // leaves the request's zero timestamp, a "null response"
                s.receive(new DatagramPacket(data, data.length));
            }
            long latency = System.nanoTime() - t1;
            long sec = ((data[40] & 0xffL) << 24)
                    | ((data[41] & 0xffL) << 16)
                    | ((data[42] & 0xffL) << 8)
                    | (data[43] & 0xffL);
            long frac = ((data[44] & 0xffL) << 24)
                    | ((data[45] & 0xffL) << 16)
                    | ((data[46] & 0xffL) << 8)
                    | (data[47] & 0xffL);
            if (sec == 0 || frac == 0) {
                return null;
            }
            long nsec = sec * 1_000_000_000L + ((frac * 1_000_000_000L) >>> 32);
            return new NtpAnswer(NTP_EPOCH.plusNanos(nsec), latency);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Go's RFC3339Nano of a local time: trailing zeros of the fraction trimmed, Z for UTC. */
    static String rfc3339Local(Instant t) {
        OffsetDateTime odt = t.atZone(ZoneId.systemDefault()).toOffsetDateTime();
        StringBuilder sb = new StringBuilder(SECONDS.format(odt));
        int nano = odt.getNano();
        if (nano != 0) {
            String f = String.format("%09d", nano);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(f, 0, end);
        }
        int off = odt.getOffset().getTotalSeconds();
        if (off == 0) {
            sb.append('Z');
        } else {
            sb.append(off < 0 ? '-' : '+');
            off = Math.abs(off);
            sb.append(String.format("%02d:%02d", off / 3600, (off / 60) % 60));
        }
        return sb.toString();
    }

    @Override
    public JsonNode parseArgs(List<String> args) throws ParameterException {
        if (!args.isEmpty() && args.get(0).equals("help")) {
            throw new ParameterException("help printed");
        }
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        if (args.isEmpty()) {
            params.put("drift", "");
            return params;
        }
        GoFlags f = new GoFlags(HELP).repeatable("drift").parse(args);
        String drift = f.lastOf("drift", "");
        try {
            GoParseDuration.parse(drift);
        } catch (IllegalArgumentException e) {
            throw new ParameterException("invalid drift duration. try help.");
        }
        params.put("drift", drift);
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
        if (!el.isObject()) {
            return out; // Go's GetElements of null fails: the original printed nothing
        }
        out.add("local time is " + el.path("localtime").asText());
        if (el.path("hascheckeddrift").asBoolean()) {
            if (el.path("iswithindrift").asBoolean()) {
                out.add("local time is within acceptable drift from NTP servers");
            } else {
                out.add("local time is out of sync from NTP servers");
                el.path("drifts").forEach(d -> out.add(d.asText()));
            }
        }
        if (foundOnly) {
            return out;
        }
        if (result.errors() != null) {
            for (String e : result.errors()) {
                out.add("error:");
                out.add(e);
            }
        }
        JsonNode stats = GoJson.tree(GoJson.marshal(result.statistics()));
        out.add("stat: execution time was " + stats.path("exectime").asText());
        for (JsonNode s : stats.path("ntpstats")) {
            if (s.path("reachable").asBoolean()) {
                out.add("stat: " + s.path("host").asText() + " responded in "
                        + s.path("latency").asText()
                        + " with time "
                        + GoTime.formatString(GoTime.parse(s.path("time").asText()))
                        + ". local time drifts by " + s.path("drift").asText());
            } else {
                out.add("stat: " + s.path("host").asText() + " was unreachable");
            }
        }
        out.add(result.success() ? "timedrift module has succeeded" : "timedrift module has failed");
        return out;
    }
}

package mig.modules.netstat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import mig.common.ModuleResult;
import mig.common.config.GoDuration;
import mig.common.json.GoJson;
import mig.modules.HasEnhancedPrivacy;
import mig.modules.HasParamsParser;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.ParameterException;
import mig.modules.RunContext;

/**
 * The {@code netstat} module: is this endpoint using a given MAC or IP address, talking to a given
 * peer, listening on a given port, or has it seen a given neighbour?
 *
 * <p>Parameters ({@link NetstatParameters}): {@code localmac}, {@code neighbormac} (regexes),
 * {@code localip}, {@code neighborip}, {@code connectedip} (addresses or CIDRs),
 * {@code listeningport} (ports) and {@code namespaces}. Everything is read from the kernel's own
 * tables ({@link KernelTables}: {@code /proc/net/*}; {@link LocalInterfaces}: sysfs and the JDK),
 * never from a command's output. Queries run in the original's order and stop at the run's
 * deadline, keeping what they found.
 *
 * <p>Result elements are {@code {"<kind>": {"<value>": [element...] | null}}}, statistics
 * {@code {examined, exectime, totalhits}}; the printer writes the original's lines and extra
 * privacy mode masks the peers of {@code connectedip} findings. See {@code docs/modules/netstat.md}.
 */
public final class NetstatModule implements Module, HasParamsParser, HasResultsPrinter, HasEnhancedPrivacy {

    private final Path proc;
    private final Path sysClassNet;

    /** The module reading this host's {@code /proc} and {@code /sys/class/net}. */
    public NetstatModule() {
        this(Path.of("/proc"), Path.of("/sys/class/net"));
    }

    /** A module reading other copies of those trees (tests). */
    NetstatModule(Path proc, Path sysClassNet) {
        this.proc = proc;
        this.sysClassNet = sysClassNet;
    }

    @Override
    public String name() {
        return "netstat";
    }

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        long t0 = System.nanoTime();
        NetstatParameters p;
        try {
            p = parameters(parameters);
            p.validate();
        } catch (ParameterException e) {
            return ModuleResult.error(e.getMessage());
        }
        KernelTables tables = new KernelTables(proc, p.namespaces());
        LocalInterfaces interfaces = new LocalInterfaces(sysClassNet);
        NetstatQueries q = new NetstatQueries(tables, interfaces, context.maxResultBytes());
        Run run = new Run(context);
        Map<String, List<NetstatElement>> localMac = run.each("localmac", p.localMac(), q::localMac);
        Map<String, List<NetstatElement>> neighborMac = run.each("neighbormac", p.neighborMac(), q::neighborMac);
        Map<String, List<NetstatElement>> neighborIp = run.each("neighborip", p.neighborIp(), q::neighborIp);
        Map<String, List<NetstatElement>> localIp = run.each("localip", p.localIp(), q::localIp);
        Map<String, List<NetstatElement>> connectedIp = run.each("connectedip", p.connectedIp(), q::connectedIp);
        Map<String, List<NetstatElement>> listening = run.each("listeningport", p.listeningPort(), q::listeningPort);

        List<String> errors = new ArrayList<>(tables.errors());
        errors.addAll(interfaces.errors());
        errors.addAll(run.failed);
        if (run.stoppedAt != null) {
            errors.add(run.stoppedAt);
        }
        if (q.truncated() > 0) {
            errors.add(q.truncated() + " findings were not returned: the result reached its size limit of "
                    + context.maxResultBytes() + " bytes");
        }
        NetstatElements elements =
                new NetstatElements(localMac, localIp, neighborMac, neighborIp, connectedIp, listening);
        NetstatStatistics stats = new NetstatStatistics(
                q.examined(), GoDuration.format(Duration.ofNanos(System.nanoTime() - t0)), q.hits());
        return new ModuleResult(
                q.hits() > 0, true, GoJson.toTree(elements), GoJson.toTree(stats), errors.isEmpty() ? null : errors);
    }

    /**
     * Runs queries of one kind until the deadline or an interrupt; remembers where it stopped. A query
     * that fails unexpectedly finds nothing and gives an error, as a panic did in the original.
     */
    private static final class Run {
        private final RunContext context;
        private final List<String> failed = new ArrayList<>();
        private String stoppedAt;

        Run(RunContext context) {
            this.context = context;
        }

        Map<String, List<NetstatElement>> each(
                String kind, List<String> values, Function<String, List<NetstatElement>> query) {
            Map<String, List<NetstatElement>> out = new TreeMap<>();
            for (String v : values) {
                if (stoppedAt == null
                        && (context.pastDeadline() || Thread.currentThread().isInterrupted())) {
                    stoppedAt = (context.pastDeadline() ? "deadline reached" : "interrupted") + " before netstat "
                            + kind + ":'" + v + "'; it and the queries after it were not run";
                }
                if (stoppedAt != null) {
                    return out;
                }
                try {
                    out.put(v, query.apply(v));
                } catch (RuntimeException e) {
                    out.put(v, null);
                    failed.add("netstat " + kind + ":'" + v + "' failed: " + e);
                }
            }
            return out;
        }
    }

    static NetstatParameters parameters(JsonNode json) throws ParameterException {
        if (json == null || !json.isObject()) {
            throw new ParameterException("netstat parameters must be a JSON object, got " + json);
        }
        try {
            return GoJson.mapper().treeToValue(json, NetstatParameters.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new ParameterException("invalid netstat parameters: " + m, e);
        }
    }

    @Override
    public JsonNode parseArgs(List<String> args) throws ParameterException {
        return GoJson.toTree(NetstatFlags.parse(args));
    }

    @Override
    public String help() {
        return NetstatFlags.HELP;
    }

    @Override
    public List<String> printResults(ModuleResult result, boolean foundOnly) {
        return NetstatPrinter.print(result, foundOnly);
    }

    /** Masks the peer address of every {@code connectedip} finding, as the original does. */
    @Override
    public ModuleResult enhancePrivacy(ModuleResult result) {
        JsonNode connected = result.elements().path("connectedip");
        if (!connected.isObject()) {
            return result;
        }
        ObjectNode elements = result.elements().deepCopy();
        elements.get("connectedip")
                .forEach(list -> list.forEach(e -> {
                    if (e.isObject()) {
                        ((ObjectNode) e).put("remoteaddr", "masked");
                    }
                }));
        return new ModuleResult(
                result.foundAnything(), result.success(), elements, result.statistics(), result.errors());
    }
}

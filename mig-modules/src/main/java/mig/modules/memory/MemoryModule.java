package mig.modules.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import mig.common.ModuleResult;
import mig.common.config.GoDuration;
import mig.common.json.GoJson;
import mig.modules.HasParamsParser;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.ParameterException;
import mig.modules.RunContext;

/**
 * The {@code memory} module: which running processes have a given name, map a given library, or
 * hold a given text or byte string in their memory?
 *
 * <p>Parameters ({@link MemoryParameters}): labelled searches of {@code names}, {@code libraries},
 * {@code contents} (Go regexes) and {@code bytes} (hex), with options {@code matchall},
 * {@code offset}, {@code maxlength} and {@code logfailures}. Each process is examined once for all
 * searches ({@link ProcessScanner}); its memory is read through {@code /proc/<pid>/mem} in bounded
 * overlapping windows ({@link MemoryWalker}), never all at once, and nothing of it is returned: only
 * which process matched which search. Processes that exit or cannot be read become
 * {@code statistics.failures}; the run stops at its deadline with what it found.
 *
 * <p>Unlike the original, which needed cgo and its own build tag, this one is always available on
 * Linux. See {@code docs/modules/memory.md}.
 */
public final class MemoryModule implements Module, HasParamsParser, HasResultsPrinter {

    private final Path proc;
    private final MemoryWalker.RegionListener listener;

    /** The module reading this host's {@code /proc}. */
    public MemoryModule() {
        this(Path.of("/proc"), MemoryWalker.RegionListener.NONE);
    }

    /** A module with a hook called before each memory region is read (tests). */
    MemoryModule(Path proc, MemoryWalker.RegionListener listener) {
        this.proc = proc;
        this.listener = listener;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        long t0 = System.nanoTime();
        List<CompiledSearch> searches;
        try {
            searches = CompiledSearch.compileAll(parameters(parameters));
        } catch (ParameterException e) {
            return ModuleResult.error(e.getMessage());
        }
        MemoryScan.Result scan = new MemoryScan(proc, searches, context, listener).run();
        List<ProcessScanner.Outcome> outcomes =
                Arrays.stream(scan.outcomes()).filter(Objects::nonNull).toList();

        MemoryResults results = new MemoryResults(context.maxResultBytes());
        var elements = results.elements(
                searches,
                outcomes.stream().filter(ProcessScanner.Outcome::examined).toList());
        List<String> allFailures = new ArrayList<>(scan.failures());
        outcomes.forEach(o -> allFailures.addAll(o.failures()));
        List<String> failures = new ArrayList<>();
        int notReturned = results.keepFailures(allFailures, failures);

        List<String> errors = new ArrayList<>();
        long examined =
                outcomes.stream().filter(ProcessScanner.Outcome::examined).count();
        if (scan.stopped()) {
            errors.add((context.pastDeadline() ? "deadline reached" : "interrupted") + " after examining " + examined
                    + " of " + scan.pids().size() + " processes; results are partial");
        }
        if (results.dropped() > 0 || notReturned > 0) {
            errors.add(results.dropped() + " matches and " + notReturned + " failures were not returned: the result "
                    + "reached its size limit of " + context.maxResultBytes() + " bytes");
        }
        long memoryRead =
                outcomes.stream().mapToLong(ProcessScanner.Outcome::bytesRead).sum();
        MemoryStatistics stats = new MemoryStatistics(
                examined,
                memoryRead,
                results.hits(),
                failures,
                GoDuration.format(Duration.ofNanos(System.nanoTime() - t0)));
        return new ModuleResult(
                results.hits() > 0,
                true,
                GoJson.toTree(elements),
                GoJson.toTree(stats),
                errors.isEmpty() ? null : errors);
    }

    static MemoryParameters parameters(JsonNode json) throws ParameterException {
        if (json == null || !json.isObject()) {
            throw new ParameterException("memory parameters must be a JSON object, got " + json);
        }
        try {
            return GoJson.mapper().treeToValue(json, MemoryParameters.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new ParameterException("invalid memory parameters: " + m, e);
        }
    }

    @Override
    public JsonNode parseArgs(List<String> args) throws ParameterException {
        return GoJson.toTree(MemoryFlags.parse(args));
    }

    @Override
    public String help() {
        return MemoryFlags.HELP;
    }

    @Override
    public List<String> printResults(ModuleResult result, boolean foundOnly) {
        return MemoryPrinter.print(result, foundOnly);
    }
}

package mig.modules.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.HasEnhancedPrivacy;
import mig.modules.HasParamsParser;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.ParameterException;
import mig.modules.RunContext;

/**
 * MIG's {@code file} module: searches file systems by name, content, size, mode, modification time
 * and digest, with the original's parameters, options, result JSON, printed lines, client flags and
 * help text (see {@code docs/modules/file.md}).
 *
 * <p>A run reads its parameters strictly ({@link ParamsReader}), validates each search with the
 * original's rules ({@link SearchCompiler}), then walks every search path once for all searches
 * ({@link FileSearch}). A search with an invalid value is refused with an error naming the value and
 * the rule while the other searches still run; the result is then not a success. Results keep the
 * original's field order: {@code elements} and {@code statistics} are records wrapped in POJO nodes,
 * which {@link GoJson} writes as Go writes structs.
 */
public final class FileModule implements Module, HasParamsParser, HasResultsPrinter, HasEnhancedPrivacy {

    @Override
    public String name() {
        return "file";
    }

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        ParamsReader.Parsed parsed;
        try {
            parsed = ParamsReader.read(parameters);
        } catch (ParameterException e) {
            return refused(List.of(e.getMessage()));
        }
        List<String> problems = new ArrayList<>(parsed.problems());
        parsed.refused().forEach((label, why) -> problems.add("search '" + label + "': " + why));
        List<CompiledSearch> searches = new ArrayList<>();
        Map<String, Search> byLabel = new TreeMap<>(parsed.searches());
        for (Map.Entry<String, Search> e : byLabel.entrySet()) {
            try {
                searches.add(SearchCompiler.compile(
                        searches.size(),
                        e.getKey(),
                        e.getValue(),
                        context.clock().instant()));
            } catch (ParameterException ex) {
                problems.add("search '" + e.getKey() + "': " + ex.getMessage());
            }
        }
        if (searches.isEmpty() && !problems.isEmpty()) {
            return refused(problems);
        }
        FileSearch.Outcome out = FileSearch.run(searches, context);
        List<String> errors = new ArrayList<>(problems);
        errors.addAll(out.errors());
        return new ModuleResult(
                out.found(),
                problems.isEmpty(),
                pojo(out.elements()),
                pojo(out.statistics()),
                errors.isEmpty() ? null : errors);
    }

    /** What the original returns for parameters it refuses: empty elements, zero statistics. */
    private static ModuleResult refused(List<String> errors) {
        return new ModuleResult(false, false, pojo(Map.of()), pojo(Statistics.ZERO), errors);
    }

    private static JsonNode pojo(Object value) {
        return JsonNodeFactory.instance.pojoNode(value);
    }

    /**
     * {@inheritDoc}
     *
     * <p>With no arguments, {@code help}, {@code -h} or {@code -help}, the exception's message is
     * the help text.
     */
    @Override
    public JsonNode parseArgs(List<String> args) throws ParameterException {
        FileParameters p = FileSearchParser.parse(args, java.time.Instant.now());
        return GoJson.tree(GoJson.marshal(p));
    }

    @Override
    public String help() {
        return FileHelp.text();
    }

    @Override
    public List<String> printResults(ModuleResult result, boolean foundOnly) {
        return FilePrinter.lines(result, foundOnly);
    }

    @Override
    public ModuleResult enhancePrivacy(ModuleResult result) {
        return FilePrivacy.mask(result);
    }
}

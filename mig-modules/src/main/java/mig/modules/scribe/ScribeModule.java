package mig.modules.scribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import mig.common.ModuleResult;
import mig.common.config.GoDuration;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.modules.GoFlags;
import mig.modules.GoJsonSyntax;
import mig.modules.HasEnhancedPrivacy;
import mig.modules.HasParamsParser;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.ParameterException;
import mig.modules.RunContext;
import mig.modules.file.FileModule;
import mig.modules.pkg.InstalledPackages;

/**
 * The {@code scribe} module: runs a scribe document (objects that read files, file names, packages
 * or raw values; tests with criteria and dependencies over them) and returns each test's result.
 *
 * <p>Parameters {@code {"scribedoc":{...},"onlytrue":b,"humanoutput":b,"jsonoutput":b}}, elements
 * {@code {"results":[...],"humanoutput":b,"jsonoutput":b}}, statistics {@code {"execruntime":"..."}},
 * printed lines, help and errors are the original's. Files are found by the file module (as the
 * original did: {@code -path <root> -name <file regexp> -maxdepth 10}), packages come from the pkg
 * module's reading of dpkg's database. See {@code docs/modules/scribe.md}.
 */
public final class ScribeModule implements Module, HasParamsParser, HasResultsPrinter, HasEnhancedPrivacy {

    /** The original's {@code printHelp(true)}, tabs included. */
    static final String HELP = "Query parameters\n"
            + "----------------\n"
            + "-path <path>      - scribe processor\n"
            + "\t\t    ex: scribe ./mytests.json\n"
            + "\t\t    process scribe document on agent\n"
            + "\n"
            + "-onlytrue <bool>  - only true evaluations\n"
            + "                    ex: onlytrue true\n"
            + "\t\t    just return document tests that evaluate to true\n"
            + "\n"
            + "-human <bool>     - human output mode\n"
            + "                    ex: human true\n"
            + "\t\t    write results in extended format\n"
            + "\n"
            + "-json <bool>      - json output mode\n"
            + "                    ex: json true\n"
            + "\t\t    write results as JSON documents\n";

    private static final String PARAMS_PREFIX = "ReadInputParameters() -> json: ";

    private final Path dpkgDir;

    /** The module reading this host's files and dpkg database. */
    public ScribeModule() {
        this(Path.of("/var/lib/dpkg"));
    }

    /** A module reading another copy of dpkg's database (tests). */
    ScribeModule(Path dpkgDir) {
        this.dpkgDir = dpkgDir;
    }

    @Override
    public String name() {
        return "scribe";
    }

    /** The module's parameters once read. */
    record Parameters(Document doc, boolean onlyTrue, boolean human, boolean json) {}

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        long t0 = System.nanoTime();
        try {
            Parameters p = read(parameters);
            String invalid = Engine.validate(p.doc());
            if (invalid != null) {
                throw new ParameterException(invalid);
            }
            new Engine(p.doc(), new Host(context)).analyze();
            boolean late = context.pastDeadline();
            List<TestResult> results = new ArrayList<>();
            for (Document.Test t : p.doc().tests) {
                TestResult r = Engine.result(t);
                if (!r.masterResult() && p.onlyTrue()) {
                    continue;
                }
                results.add(r);
            }
            List<String> errors = new ArrayList<>();
            if (late) {
                errors.add("scribe: the module's deadline was reached before every file was read;"
                        + " tests over the files not read may be false");
            }
            for (TestResult r : results) {
                if (r.isError()) {
                    errors.add("Error: " + r.error() + " in \"" + r.testId() + "\"");
                }
            }
            JsonNode elements = JsonNodeFactory.instance.pojoNode(
                    new TestResult.Elements(List.copyOf(results), p.human(), p.json()));
            return new ModuleResult(!results.isEmpty(), true, elements, stats(t0), errors.isEmpty() ? null : errors);
        } catch (ParameterException | Engine.ScribePanic e) {
            return new ModuleResult(false, false, null, stats(t0), List.of(e.getMessage()));
        } catch (RuntimeException | StackOverflowError e) {
            // the original's recover(): the panic's text as the error
            return new ModuleResult(false, false, null, stats(t0), List.of(String.valueOf(e)));
        }
    }

    private static JsonNode stats(long t0) {
        return JsonNodeFactory.instance.pojoNode(
                new TestResult.Statistics(GoDuration.format(Duration.ofNanos(System.nanoTime() - t0))));
    }

    /** The original's ReadInputParameters into its {@code parameters} struct. */
    static Parameters read(JsonNode json) throws ParameterException {
        GoStruct g = new GoStruct(PARAMS_PREFIX);
        if (json == null || json.isNull()) {
            return new Parameters(new Document(), false, false, false);
        }
        if (!json.isObject()) {
            throw g.typeError(json, null, null, "scribe.parameters");
        }
        Document[] doc = {new Document()};
        boolean[] flags = new boolean[3];
        GoStruct.fields(
                json,
                Map.of(
                        "scribedoc", v -> doc[0] = Document.read(v, "scribedoc", PARAMS_PREFIX),
                        "onlytrue", v -> flags[0] = g.bool(v, "parameters", "onlytrue"),
                        "humanoutput", v -> flags[1] = g.bool(v, "parameters", "humanoutput"),
                        "jsonoutput", v -> flags[2] = g.bool(v, "parameters", "jsonoutput")));
        return new Parameters(doc[0], flags[0], flags[1], flags[2]);
    }

    @Override
    public JsonNode parseArgs(List<String> args) throws ParameterException {
        if (args.isEmpty() || args.get(0).isEmpty() || args.get(0).equals("help")) {
            return null; // the original printed its help and returned no error: the client exits 0
        }
        GoFlags f = new GoFlags(HELP)
                .repeatable("path")
                .bool("human", false)
                .bool("json", false)
                .bool("onlytrue", false)
                .parse(args);
        String path = f.lastOf("path", "");
        if (path.isEmpty()) {
            throw new ParameterException("-path option is required");
        }
        Document doc = load(Path.of(path), path);
        String invalid = Engine.validate(doc);
        if (invalid != null) {
            throw new ParameterException(invalid);
        }
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.set("scribedoc", doc.toJson());
        params.put("onlytrue", f.boolOf("onlytrue"));
        params.put("humanoutput", f.boolOf("human"));
        params.put("jsonoutput", f.boolOf("json"));
        return params;
    }

    /** The original's loadScribeDocument and LoadDocument, for JSON documents. */
    static Document load(Path file, String name) throws ParameterException {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ParameterException("open " + name + ": no such file or directory", e);
        } catch (AccessDeniedException e) {
            throw new ParameterException("open " + name + ": permission denied", e);
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new ParameterException("read " + name + ": is a directory", e);
            }
            throw new ParameterException("read " + name + ": " + e.getMessage(), e);
        }
        int start = 0;
        while (start < b.length && (b[start] == ' ' || b[start] == '\n' || b[start] == '\t')) {
            start++;
        }
        byte[] doc = java.util.Arrays.copyOfRange(b, start, b.length);
        if (doc.length < 10) {
            throw new ParameterException("the document is too small to be valid (" + doc.length + " bytes)");
        }
        if (doc[0] != '{' && doc[0] != '[') {
            throw new ParameterException("scribe document " + name + " is not JSON (it does not start with '{'):"
                    + " this client reads JSON scribe documents only, convert YAML ones to JSON");
        }
        String syntax = GoJsonSyntax.check(doc);
        if (syntax != null) {
            throw new ParameterException(syntax);
        }
        JsonNode tree;
        try {
            tree = GoJson.tree(new String(doc, java.nio.charset.StandardCharsets.UTF_8));
        } catch (GoJsonException e) {
            throw new ParameterException(e.getMessage(), e);
        }
        Document d = Document.read(tree, "", "json: ");
        String invalid = Engine.validate(d);
        if (invalid != null) {
            throw new ParameterException(invalid);
        }
        return d;
    }

    @Override
    public String help() {
        return HELP;
    }

    @Override
    public List<String> printResults(ModuleResult result, boolean foundOnly) {
        List<String> out = new ArrayList<>();
        JsonNode elements = GoJson.tree(GoJson.marshal(result.elements()));
        JsonNode statistics = GoJson.tree(GoJson.marshal(result.statistics()));
        boolean human = elements.path("humanoutput").asBoolean(false);
        boolean json = elements.path("jsonoutput").asBoolean(false);
        for (JsonNode x : elements.path("results")) {
            TestResult r = GoJson.unmarshal(GoJson.marshal(x), TestResult.class);
            r = new TestResult(
                    r.testId() == null ? "" : r.testId(),
                    r.name() == null ? "" : r.name(),
                    r.description() == null ? "" : r.description(),
                    r.tags() == null || r.tags().isEmpty() ? null : r.tags(),
                    r.isError(),
                    r.error() == null ? "" : r.error(),
                    r.masterResult(),
                    r.hasTrueResults(),
                    r.results() == null || r.results().isEmpty() ? null : r.results());
            if (human) {
                out.add(r.human());
            } else if (json) {
                out.add(r.json());
            } else {
                out.addAll(r.singleLines());
            }
        }
        if (!foundOnly) {
            if (result.errors() != null) {
                out.addAll(result.errors());
            }
            out.add("Statistics: runtime " + statistics.path("execruntime").asText());
        }
        return out;
    }

    @Override
    public ModuleResult enhancePrivacy(ModuleResult result) {
        if (result.elements() == null) {
            return result;
        }
        JsonNode el = GoJson.tree(GoJson.marshal(result.elements()));
        if (!el.isObject()) {
            return result;
        }
        for (JsonNode r : el.path("results")) {
            for (JsonNode s : r.path("results")) {
                if (s.isObject()) {
                    ((ObjectNode) s).put("identifier", "masked");
                }
            }
        }
        return new ModuleResult(result.foundAnything(), result.success(), el, result.statistics(), result.errors());
    }

    /** Stops reading a file once the run's deadline has passed. */
    private static final class PastDeadline extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PastDeadline() {
            super("past the deadline", null, false, false);
        }
    }

    /** Files through the file module, packages through the pkg module's dpkg reading, lines as Go read them. */
    private final class Host implements Engine.Host {
        private final RunContext context;
        private List<Engine.Criterion> packages;

        Host(RunContext context) {
            this.context = context;
        }

        @Override
        public List<String> locate(String pattern, String root, int depth) throws Engine.ScribeError {
            FileModule file = new FileModule();
            JsonNode params;
            try {
                params = file.parseArgs(List.of("-path", root, "-name", pattern, "-maxdepth", Integer.toString(depth)));
            } catch (ParameterException e) {
                params = NullNode.instance; // the original ignored the parser's error and sent null parameters
            }
            ModuleResult r = file.run(params, context);
            JsonNode elements = GoJson.tree(GoJson.marshal(r.elements()));
            JsonNode s1 = elements.get("s1");
            if (s1 == null || s1.isNull()) {
                throw new Engine.ScribeError("result in file module call was missing");
            }
            List<String> ret = new ArrayList<>();
            for (JsonNode x : s1) {
                ret.add(x.path("file").asText(""));
            }
            return ret;
        }

        @Override
        public List<Engine.Criterion> packages() {
            if (packages == null) {
                packages = InstalledPackages.dpkg(dpkgDir).stream()
                        .map(p -> new Engine.Criterion(p.name(), p.version()))
                        .toList();
            }
            return packages;
        }

        @Override
        public boolean eachLine(String path, Consumer<String> line) {
            if (path.isEmpty()) {
                return false;
            }
            if (context.pastDeadline()) {
                return false;
            }
            int[] count = {0};
            try (InputStream in = Files.newInputStream(Path.of(path))) {
                GoLines.read(in, l -> {
                    if (++count[0] % 4096 == 0 && context.pastDeadline()) {
                        throw new PastDeadline();
                    }
                    line.accept(l);
                });
                return true;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }
}

package mig.modules.yara;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.common.regex.GoRegexp;
import mig.modules.GoDecode;
import mig.modules.GoFlags;
import mig.modules.HasParamsParser;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.ParameterException;
import mig.modules.RunContext;
import mig.modules.file.FileModule;

/**
 * The {@code yara} module: compiles YARA rules with libyara ({@link LibYara}) and scans with them the
 * files a file-module search finds ({@code -files '-path /bin -name ssh'}).
 *
 * <p>Parameters {@code {"yara":"<rules text>","filesearch":"<file module flags>"}}, elements
 * {@code {"Matches":[{"Object":file,"MatchedRules":[...]}]}}, no statistics, printed lines, help and
 * errors are the original's (a build option there, {@code -tags modyara}). Without libyara the
 * module answers with an error saying it is unavailable. See {@code docs/modules/yara.md}.
 */
public final class YaraModule implements Module, HasParamsParser, HasResultsPrinter {

    /** The original's {@code printHelp(true)}, tabs included. */
    static final String HELP = "Query parameters\n"
            + "----------------\n"
            + "-rules <path>     - yara rules path\n"
            + "\t\t    ex: path ./myrules.yar\n"
            + "\t\t    processes yara rules on agent\n"
            + "\n"
            + "-files <spec>     - scan files using rules\n"
            + "                    ex: files '-path /bin -path /sbin -name ssh'\n"
            + "\t\t    indicate files that should be scanned, argument is\n"
            + "\t\t    parameters as supplied to the file module for scanning,\n"
            + "\t\t    each matching file will be scanned using rules. see the\n"
            + "\t\t    help output for the file module for available options.\n";

    /** The original's scan timeout, {@code time.Second*10}. */
    static final int SCAN_TIMEOUT_SECONDS = 10;

    private static final GoRegexp ARGUMENT = GoRegexp.compile("'.+'|\".+\"|\\S+");

    @Override
    public String name() {
        return "yara";
    }

    /** One file with the rules it matched, as the original's {@code YaraMatch} (no JSON tags). */
    record Match(
            @JsonProperty("Object") String object,
            @JsonProperty("MatchedRules") List<String> matchedRules) {}

    /** The module's elements. */
    record Elements(@JsonProperty("Matches") List<Match> matches) {}

    /** The parameters once read. */
    record Parameters(String rules, String fileSearch) {}

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        List<String> errors = new ArrayList<>();
        try {
            Parameters p = read(parameters);
            validate(p);
            LibYara.C c = LibYara.load();
            List<Match> matches = new ArrayList<>();
            try (LibYara.Rules rules = LibYara.Rules.compile(c, p.rules())) {
                if (!p.fileSearch().isEmpty()) {
                    for (String file : findFiles(arguments(p.fileSearch()), context)) {
                        if (context.pastDeadline()) {
                            errors.add("yara: the module's deadline was reached before " + file + " was scanned");
                            break;
                        }
                        try {
                            List<String> rulesMatched = rules.scanFile(file, SCAN_TIMEOUT_SECONDS);
                            if (!rulesMatched.isEmpty()) {
                                matches.add(new Match(file, List.copyOf(rulesMatched)));
                            }
                        } catch (LibYara.YaraException e) {
                            errors.add(file + ": " + e.getMessage());
                        }
                    }
                }
            }
            JsonNode elements =
                    JsonNodeFactory.instance.pojoNode(new Elements(matches.isEmpty() ? null : List.copyOf(matches)));
            return new ModuleResult(!matches.isEmpty(), true, elements, null, errors.isEmpty() ? null : errors);
        } catch (ParameterException | LibYara.YaraException | LibYara.Unavailable e) {
            errors.add(e.getMessage());
        } catch (RuntimeException e) {
            // the original's recover(): the panic's text as the error
            errors.add(String.valueOf(e));
        }
        return new ModuleResult(false, false, null, null, errors);
    }

    static Parameters read(JsonNode json) throws ParameterException {
        JsonNode p = GoDecode.object(json, "yara.parameters");
        return new Parameters(
                GoDecode.string(p, "yara", "parameters.yara"),
                GoDecode.string(p, "filesearch", "parameters.filesearch"));
    }

    /** The original's ValidateParameters. */
    static void validate(Parameters p) throws ParameterException {
        if (p.rules().isEmpty()) {
            throw new ParameterException("yara rules are a required option");
        }
        if (!p.fileSearch().isEmpty()) {
            new FileModule().parseArgs(arguments(p.fileSearch()));
        }
    }

    /**
     * The original's {@code moduleArguments}: the file search string split as its regexp
     * {@code '.+'|".+"|\S+} splits it (a quoted part runs to the last quote of its kind), quotes
     * trimmed from both ends of each part.
     */
    static List<String> arguments(String spec) {
        List<String> out = new ArrayList<>();
        for (String x : ARGUMENT.findAll(spec)) {
            out.add(trim(trim(x, '"'), '\''));
        }
        return out;
    }

    private static String trim(String s, char c) {
        int a = 0;
        int b = s.length();
        while (a < b && s.charAt(a) == c) {
            a++;
        }
        while (b > a && s.charAt(b - 1) == c) {
            b--;
        }
        return s.substring(a, b);
    }

    /** The files the file module finds for the search flags (its {@code s1} results, "" for none). */
    private static List<String> findFiles(List<String> args, RunContext context) throws ParameterException {
        FileModule file = new FileModule();
        JsonNode params = file.parseArgs(args);
        ModuleResult r = file.run(params, context);
        JsonNode s1 = GoJson.tree(GoJson.marshal(r.elements())).get("s1");
        if (s1 == null || s1.isNull()) {
            throw new ParameterException("result in file module call was missing");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : s1) {
            out.add(x.path("file").asText(""));
        }
        return out;
    }

    @Override
    public JsonNode parseArgs(List<String> args) throws ParameterException {
        if (args.isEmpty() || args.get(0).isEmpty() || args.get(0).equals("help")) {
            return null; // the original printed its help and returned no error: the client exits 0
        }
        GoFlags f = new GoFlags(HELP).repeatable("rules").repeatable("files").parse(args);
        String rulesPath = f.lastOf("rules", "");
        if (rulesPath.isEmpty()) {
            throw new ParameterException("-rules option is required");
        }
        String rules;
        try {
            rules = new String(Files.readAllBytes(Path.of(rulesPath)), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ParameterException("open " + rulesPath + ": no such file or directory", e);
        } catch (AccessDeniedException e) {
            throw new ParameterException("open " + rulesPath + ": permission denied", e);
        } catch (IOException e) {
            if (Files.isDirectory(Path.of(rulesPath))) {
                throw new ParameterException("read " + rulesPath + ": is a directory", e);
            }
            throw new ParameterException("read " + rulesPath + ": " + e.getMessage(), e);
        }
        String files = f.lastOf("files", "");
        if (files.isEmpty()) {
            throw new ParameterException("-files option is required");
        }
        Parameters p = new Parameters(rules, files);
        validate(p);
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("yara", p.rules());
        params.put("filesearch", p.fileSearch());
        return params;
    }

    @Override
    public String help() {
        return HELP;
    }

    @Override
    public List<String> printResults(ModuleResult result, boolean foundOnly) {
        List<String> out = new ArrayList<>();
        JsonNode elements = GoJson.tree(GoJson.marshal(result.elements()));
        for (JsonNode x : elements.path("Matches")) {
            List<String> rn = new ArrayList<>();
            x.path("MatchedRules").forEach(y -> rn.add(y.asText()));
            out.add(x.path("Object").asText() + " [" + String.join(",", rn) + "]");
        }
        if (!foundOnly && result.errors() != null) {
            out.addAll(result.errors());
        }
        return out;
    }
}

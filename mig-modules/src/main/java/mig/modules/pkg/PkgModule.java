package mig.modules.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.config.GoDuration;
import mig.common.json.GoJson;
import mig.common.regex.GoRegexp;
import mig.modules.GoDecode;
import mig.modules.GoFlags;
import mig.modules.HasParamsParser;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.ParameterException;
import mig.modules.RunContext;

/**
 * The {@code pkg} module: which installed OS packages have a name matching one of the
 * {@code pkgmatch.matches} regexes (and, with {@code vermatch}, a version matching it, or not
 * matching it when it starts with {@code !})?
 *
 * <p>Parameters {@code {"pkgmatch":{"matches":[...]},"vermatch":"..."}}, elements
 * {@code {"packages":[{name,version,type,arch}...]}}, statistics {@code {"execruntime":"..."}}, the
 * original's. Packages come from dpkg's database ({@link DpkgDatabase}), read directly; rpm's is not
 * read ({@link RpmDatabase}). A package matched by two name regexes is listed twice, as in the
 * original. See {@code docs/modules/pkg.md}.
 */
public final class PkgModule implements Module, HasParamsParser, HasResultsPrinter {

    /** The original's {@code printHelp(true)}, tabs included. */
    static final String HELP = "Query parameters\n"
            + "----------------\n"
            + "-name <regexp>     - OS package search\n"
            + "                    ex: name linux-image\n"
            + "\t\t    query for installed OS packages matching expression\n"
            + "\n"
            + "-version <regexp>  - Version string search, use !<regexp> to invert it\n"
            + "                    ex: version ^1\\..*\n"
            + "\t\t    optionally filter returned packages to include or exclude version\n";

    private final Path dpkgDir;
    private final List<Path> rpmDirs;

    /** The module reading this host's package databases. */
    public PkgModule() {
        this(Path.of("/var/lib/dpkg"), List.of(Path.of("/var/lib/rpm"), Path.of("/usr/lib/sysimage/rpm")));
    }

    /** A module reading other copies of those databases (tests). */
    PkgModule(Path dpkgDir, List<Path> rpmDirs) {
        this.dpkgDir = dpkgDir;
        this.rpmDirs = rpmDirs;
    }

    @Override
    public String name() {
        return "pkg";
    }

    /** The parameters once read and validated: the name regexes, and the version filter if any. */
    record Query(List<String> matches, String vermatch, List<GoRegexp> names, GoRegexp version, boolean invert) {}

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        long t0 = System.nanoTime();
        try {
            Query q = read(parameters);
            List<String> errors = new ArrayList<>();
            List<PackageInfo> all = new ArrayList<>();
            String rpm = new RpmDatabase(rpmDirs).unreadable();
            if (rpm != null) {
                errors.add(rpm);
            }
            DpkgDatabase dpkg = new DpkgDatabase(dpkgDir);
            all.addAll(dpkg.installed());
            errors.addAll(dpkg.errors());
            List<PackageInfo> packages = new ArrayList<>();
            long bytes = 0;
            int dropped = 0;
            for (GoRegexp re : q.names()) {
                for (PackageInfo p : all) {
                    if (!re.find(p.name())) {
                        continue;
                    }
                    if (q.version() != null && q.version().find(p.version()) == q.invert()) {
                        continue;
                    }
                    bytes += 60
                            + p.name().length()
                            + p.version().length()
                            + p.arch().length();
                    if (bytes > context.maxResultBytes()) {
                        dropped++;
                        continue;
                    }
                    packages.add(p);
                }
            }
            if (dropped > 0) {
                errors.add(dropped + " packages were not returned: the result reached its size limit of "
                        + context.maxResultBytes() + " bytes");
            }
            JsonNode elements = JsonNodeFactory.instance.pojoNode(new PackageInfo.Elements(List.copyOf(packages)));
            return new ModuleResult(!packages.isEmpty(), true, elements, stats(t0), errors.isEmpty() ? null : errors);
        } catch (ParameterException e) {
            return new ModuleResult(false, false, null, stats(t0), List.of(e.getMessage()));
        } catch (RuntimeException e) {
            // the original's recover(): the panic's text as the error
            return new ModuleResult(false, false, null, stats(t0), List.of(String.valueOf(e)));
        }
    }

    private static JsonNode stats(long t0) {
        return JsonNodeFactory.instance.pojoNode(
                new PackageInfo.Statistics(GoDuration.format(Duration.ofNanos(System.nanoTime() - t0))));
    }

    /** Reads and validates the parameters as the original's ReadInputParameters and ValidateParameters. */
    static Query read(JsonNode json) throws ParameterException {
        JsonNode p = GoDecode.object(json, "pkg.Parameters");
        JsonNode pm = GoDecode.struct(p, "pkgmatch", "Parameters.pkgmatch", "pkg.PkgMatch");
        List<String> matches = GoDecode.strings(pm, "matches", "PkgMatch.pkgmatch.matches");
        String vermatch = GoDecode.string(p, "vermatch", "Parameters.vermatch");
        return validate(matches, vermatch);
    }

    static Query validate(List<String> matches, String vermatch) throws ParameterException {
        if (matches.isEmpty()) {
            throw new ParameterException("must specify at least one package to match");
        }
        List<GoRegexp> names = new ArrayList<>();
        for (String m : matches) {
            names.add(compile(m));
        }
        GoRegexp version = null;
        boolean invert = false;
        if (!vermatch.isEmpty()) {
            String vs = vermatch;
            if (vs.charAt(0) == '!' && vs.length() > 1) {
                vs = vs.substring(1);
                invert = true;
            }
            version = compile(vs);
        }
        return new Query(List.copyOf(matches), vermatch, List.copyOf(names), version, invert);
    }

    private static GoRegexp compile(String expr) throws ParameterException {
        try {
            return GoRegexp.compile(expr);
        } catch (GoRegexp.SyntaxException e) {
            throw new ParameterException(e.getMessage(), e);
        }
    }

    @Override
    public JsonNode parseArgs(List<String> args) throws ParameterException {
        if (args.isEmpty() || args.get(0).isEmpty() || args.get(0).equals("help")) {
            return null; // the original printed its help and returned no error: the client exits 0
        }
        GoFlags f = new GoFlags(HELP).repeatable("name").repeatable("version").parse(args);
        Query q = validate(f.valuesOf("name"), f.lastOf("version", ""));
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        ArrayNode m = params.putObject("pkgmatch").putArray("matches");
        q.matches().forEach(m::add);
        params.put("vermatch", q.vermatch());
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
        JsonNode statistics = GoJson.tree(GoJson.marshal(result.statistics()));
        for (JsonNode x : elements.path("packages")) {
            out.add("pkgmatch name=" + x.path("name").asText() + " version="
                    + x.path("version").asText() + " type=" + x.path("type").asText() + " arch="
                    + x.path("arch").asText());
        }
        if (!foundOnly) {
            if (result.errors() != null) {
                out.addAll(result.errors());
            }
            out.add("Statistics: runtime " + statistics.path("execruntime").asText());
        }
        return out;
    }
}

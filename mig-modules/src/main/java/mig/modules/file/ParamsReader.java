package mig.modules.file;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mig.modules.ParameterException;

/**
 * Reads the file module's parameters JSON the way Go's decoder fills the original's structs (keys
 * match case-insensitively, the last duplicate wins, {@code null} is the zero value, {@code mismatch}
 * keeps {@code null} apart from {@code []}), but strictly: an unknown key or a value of the wrong type
 * is reported instead of being ignored, so a typo such as {@code "name"} for {@code "names"} does not
 * silently widen a search.
 */
final class ParamsReader {

    /**
     * What was read.
     *
     * @param searches the readable searches by label, in document order
     * @param refused  label to the reason a search could not be read
     * @param problems parameter errors outside any search
     */
    record Parsed(Map<String, Search> searches, Map<String, String> refused, List<String> problems) {}

    private static final List<String> SEARCH_KEYS = List.of(
            "description",
            "paths",
            "contents",
            "names",
            "sizes",
            "modes",
            "mtimes",
            "md5",
            "sha1",
            "sha2",
            "sha3",
            "options");
    private static final List<String> OPTION_KEYS = List.of(
            "maxdepth",
            "maxerrors",
            "remotefs",
            "matchall",
            "macroal",
            "mismatch",
            "matchlimit",
            "debug",
            "returnsha256",
            "decompress");

    private ParamsReader() {}

    /**
     * Reads {@code params}.
     *
     * @throws ParameterException when the document is not a parameters object at all
     */
    static Parsed read(JsonNode params) throws ParameterException {
        Map<String, Search> searches = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (params == null || params.isNull() || params.isMissingNode()) {
            return new Parsed(searches, refused, problems);
        }
        if (!params.isObject()) {
            throw new ParameterException("file module parameters must be a JSON object like "
                    + "{\"searches\":{\"s1\":{\"paths\":[\"/etc\"],\"names\":[\"^passwd$\"]}}}, got " + kind(params));
        }
        JsonNode all = null;
        for (Map.Entry<String, JsonNode> e : params.properties()) {
            if (e.getKey().equalsIgnoreCase("searches")) {
                all = e.getValue();
            } else {
                problems.add("unknown parameter '" + e.getKey() + "': the file module only takes \"searches\"");
            }
        }
        if (all == null || all.isNull()) {
            return new Parsed(searches, refused, problems);
        }
        if (!all.isObject()) {
            throw new ParameterException("searches must be an object of label to search, got " + kind(all));
        }
        for (Map.Entry<String, JsonNode> e : all.properties()) {
            try {
                searches.put(e.getKey(), readSearch(e.getValue()));
            } catch (ParameterException ex) {
                refused.put(e.getKey(), ex.getMessage());
            }
        }
        return new Parsed(searches, refused, problems);
    }

    static Search readSearch(JsonNode node) throws ParameterException {
        if (node == null || !node.isObject()) {
            throw new ParameterException("a search must be an object with paths and filters, got " + kind(node));
        }
        Map<String, JsonNode> f = fields(node, SEARCH_KEYS, "parameter");
        return new Search(
                string(f, "description"),
                strings(f, "paths"),
                strings(f, "contents"),
                strings(f, "names"),
                strings(f, "sizes"),
                strings(f, "modes"),
                strings(f, "mtimes"),
                strings(f, "md5"),
                strings(f, "sha1"),
                strings(f, "sha2"),
                strings(f, "sha3"),
                options(f.get("options")));
    }

    private static Options options(JsonNode node) throws ParameterException {
        if (node == null || node.isNull()) {
            return Options.ZERO;
        }
        if (!node.isObject()) {
            throw new ParameterException("options must be an object, got " + kind(node));
        }
        Map<String, JsonNode> f = fields(node, OPTION_KEYS, "option");
        return new Options(
                number(f, "maxdepth"),
                number(f, "maxerrors"),
                bool(f, "remotefs"),
                bool(f, "matchall"),
                bool(f, "macroal"),
                strings(f, "mismatch"),
                number(f, "matchlimit"),
                string(f, "debug"),
                bool(f, "returnsha256"),
                bool(f, "decompress"));
    }

    /** The fields of {@code node} by their canonical (lower-case) key; unknown keys are refused. */
    private static Map<String, JsonNode> fields(JsonNode node, List<String> known, String what)
            throws ParameterException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (!known.contains(key)) {
                throw new ParameterException(
                        "unknown " + what + " '" + e.getKey() + "' (known: " + String.join(", ", known) + ")");
            }
            out.put(key, e.getValue());
        }
        return out;
    }

    private static String string(Map<String, JsonNode> f, String key) throws ParameterException {
        JsonNode n = f.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new ParameterException(key + " must be a string, got " + kind(n));
        }
        return n.textValue();
    }

    private static List<String> strings(Map<String, JsonNode> f, String key) throws ParameterException {
        JsonNode n = f.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw new ParameterException(key + " must be a list of strings, got " + kind(n));
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode v = n.get(i);
            if (v.isNull()) {
                out.add("");
            } else if (v.isTextual()) {
                out.add(v.textValue());
            } else {
                throw new ParameterException(
                        key + " must be a list of strings, got " + kind(v) + " at position " + (i + 1));
            }
        }
        return out;
    }

    private static double number(Map<String, JsonNode> f, String key) throws ParameterException {
        JsonNode n = f.get(key);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isNumber()) {
            throw new ParameterException("option " + key + " must be a number, got " + kind(n));
        }
        return n.doubleValue();
    }

    private static boolean bool(Map<String, JsonNode> f, String key) throws ParameterException {
        JsonNode n = f.get(key);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new ParameterException("option " + key + " must be true or false, got " + kind(n));
        }
        return n.booleanValue();
    }

    static String kind(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "null";
        }
        if (n.isTextual()) {
            return "the string " + mig.modules.GoFlags.quote(n.textValue());
        }
        if (n.isNumber()) {
            return "the number " + n.asText();
        }
        if (n.isBoolean()) {
            return n.asText();
        }
        if (n.isArray()) {
            return "a list";
        }
        return "an object";
    }
}

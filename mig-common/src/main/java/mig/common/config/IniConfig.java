package mig.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * MIG's configuration files ({@code scheduler.cfg}, {@code api.cfg}, {@code mig-agent.cfg},
 * {@code ~/.migrc}) in the Go {@code gcfg} dialect: {@code [section]} or {@code [section "sub"]},
 * {@code key = value}, values optionally double-quoted with {@code \" \\ \n \t} escapes,
 * {@code ;} and {@code #} comments, case-insensitive section and key names, a trailing backslash
 * continues a line, a repeated key adds a value, and a bare key means {@code true}.
 *
 * <p>Every error names the file, the line and what was expected, so an operator can fix the file.
 */
public final class IniConfig {

    private final String source;
    private final Map<String, Map<String, List<Value>>> sections;

    /** A value with the line it came from, for error messages. */
    private record Value(String text, int line) {}

    private IniConfig(String source, Map<String, Map<String, List<Value>>> sections) {
        this.source = source;
        this.sections = sections;
    }

    /** Reads and parses a file. */
    public static IniConfig read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses text; {@code source} names it in error messages. */
    public static IniConfig parse(String text, String source) {
        Map<String, Map<String, List<Value>>> sections = new LinkedHashMap<>();
        String section = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            StringBuilder logical = new StringBuilder(lines[i]);
            while (endsWithContinuation(logical) && i + 1 < lines.length) {
                logical.setLength(logical.length() - 1);
                logical.append(lines[++i]);
            }
            String line = logical.toString().strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = parseSectionHeader(line, source, lineNo);
                sections.computeIfAbsent(section, k -> new LinkedHashMap<>());
                continue;
            }
            if (section == null) {
                throw new ConfigException(source + ":" + lineNo + ": variable outside of any [section]: " + line);
            }
            int eq = line.indexOf('=');
            String key = (eq < 0 ? stripComment(line) : line.substring(0, eq))
                    .strip()
                    .toLowerCase(Locale.ROOT);
            if (!key.matches("[a-z][a-z0-9_-]*")) {
                throw new ConfigException(source + ":" + lineNo + ": invalid variable name '" + key
                        + "' (letters, digits, '-' and '_', starting with a letter)");
            }
            String value = eq < 0 ? "true" : parseValue(line.substring(eq + 1), source, lineNo);
            sections.get(section).computeIfAbsent(key, k -> new ArrayList<>()).add(new Value(value, lineNo));
        }
        return new IniConfig(source, sections);
    }

    private static boolean endsWithContinuation(StringBuilder sb) {
        int n = sb.length();
        int slashes = 0;
        while (n - 1 - slashes >= 0 && sb.charAt(n - 1 - slashes) == '\\') {
            slashes++;
        }
        return slashes % 2 == 1;
    }

    private static String parseSectionHeader(String line, String source, int lineNo) {
        int close = line.indexOf(']');
        if (close < 0) {
            throw new ConfigException(source + ":" + lineNo + ": section header is missing ']': " + line);
        }
        String rest = stripComment(line.substring(close + 1)).strip();
        if (!rest.isEmpty()) {
            throw new ConfigException(source + ":" + lineNo + ": unexpected text after section header: " + rest);
        }
        String inner = line.substring(1, close).strip();
        String name = inner;
        String sub = null;
        int q = inner.indexOf('"');
        if (q >= 0) {
            name = inner.substring(0, q).strip();
            if (!inner.endsWith("\"") || inner.length() - 1 == q) {
                throw new ConfigException(source + ":" + lineNo + ": unterminated subsection name: " + line);
            }
            sub = inner.substring(q + 1, inner.length() - 1);
        }
        if (!name.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw new ConfigException(source + ":" + lineNo + ": invalid section name '" + name + "'");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return sub == null ? lower : lower + " \"" + sub + "\"";
    }

    private static String stripComment(String s) {
        int c = indexOfComment(s);
        return c < 0 ? s : s.substring(0, c);
    }

    private static int indexOfComment(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == ';' || ch == '#') {
                return i;
            }
        }
        return -1;
    }

    private static String parseValue(String raw, String source, int lineNo) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        String s = raw.strip();
        int pendingSpaces = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!quoted && (c == ';' || c == '#')) {
                break;
            }
            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (c == '\\') {
                if (i + 1 >= s.length()) {
                    throw new ConfigException(source + ":" + lineNo + ": value ends with a lone backslash");
                }
                char e = s.charAt(++i);
                flushSpaces(out, pendingSpaces);
                pendingSpaces = 0;
                switch (e) {
                    case '"', '\\' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    default ->
                        throw new ConfigException(source + ":" + lineNo + ": invalid escape '\\" + e
                                + "' (allowed: \\\" \\\\ \\n \\t \\b)");
                }
                continue;
            }
            if (!quoted && Character.isWhitespace(c)) {
                pendingSpaces++;
                continue;
            }
            flushSpaces(out, pendingSpaces);
            pendingSpaces = 0;
            out.append(c);
        }
        if (quoted) {
            throw new ConfigException(source + ":" + lineNo + ": unterminated quoted value: " + raw.strip());
        }
        return out.toString();
    }

    private static void flushSpaces(StringBuilder out, int n) {
        if (out.length() > 0) {
            out.append(" ".repeat(n));
        }
    }

    /** Where this configuration came from. */
    public String source() {
        return source;
    }

    /** Section names present, lower-cased (subsections as {@code name "sub"}). */
    public Set<String> sections() {
        return Collections.unmodifiableSet(sections.keySet());
    }

    /** True if the section appears in the file, even empty. */
    public boolean hasSection(String section) {
        return sections.containsKey(section.toLowerCase(Locale.ROOT));
    }

    /** The last value of a key (gcfg: a later line overrides a scalar), if present. */
    public Optional<String> get(String section, String key) {
        List<Value> vs = values(section, key);
        return vs.isEmpty()
                ? Optional.empty()
                : Optional.of(vs.get(vs.size() - 1).text());
    }

    /** A string value or {@code fallback}. */
    public String getString(String section, String key, String fallback) {
        return get(section, key).orElse(fallback);
    }

    /** Every value of a repeated key, in file order. */
    public List<String> getAll(String section, String key) {
        return values(section, key).stream().map(Value::text).toList();
    }

    /** A boolean: {@code on/off}, {@code true/false}, {@code yes/no}, {@code 1/0}, case-insensitive. */
    public Optional<Boolean> getBool(String section, String key) {
        List<Value> vs = values(section, key);
        if (vs.isEmpty()) {
            return Optional.empty();
        }
        Value v = vs.get(vs.size() - 1);
        return Optional.of(
                switch (v.text().strip().toLowerCase(Locale.ROOT)) {
                    case "on", "true", "yes", "1" -> true;
                    case "off", "false", "no", "0", "" -> false;
                    default -> throw error(section, key, v, "a boolean (on, off, true, false, yes, no, 1, 0)");
                });
    }

    /** An integer value. */
    public Optional<Long> getLong(String section, String key) {
        List<Value> vs = values(section, key);
        if (vs.isEmpty()) {
            return Optional.empty();
        }
        Value v = vs.get(vs.size() - 1);
        try {
            return Optional.of(Long.parseLong(v.text().strip()));
        } catch (NumberFormatException e) {
            throw error(section, key, v, "an integer");
        }
    }

    /** A Go duration such as {@code 300s}, {@code 5m}, {@code 1h30m}. */
    public Optional<Duration> getDuration(String section, String key) {
        List<Value> vs = values(section, key);
        if (vs.isEmpty()) {
            return Optional.empty();
        }
        Value v = vs.get(vs.size() - 1);
        try {
            return Optional.of(GoDuration.parse(v.text()));
        } catch (IllegalArgumentException e) {
            throw error(section, key, v, "a duration such as 300s, 5m or 1h30m (" + e.getMessage() + ")");
        }
    }

    /**
     * Refuses sections and keys the program does not know, as gcfg does, so a typo is an error
     * instead of a silently ignored setting.
     *
     * @param known section name to the keys allowed in it
     */
    public IniConfig requireKnown(Map<String, Set<String>> known) {
        for (var s : sections.entrySet()) {
            String base = s.getKey().contains(" ")
                    ? s.getKey().substring(0, s.getKey().indexOf(' '))
                    : s.getKey();
            Set<String> keys = known.get(base);
            if (keys == null) {
                throw new ConfigException(source + ": unknown section [" + s.getKey() + "]; known sections: "
                        + String.join(", ", known.keySet()));
            }
            for (var k : s.getValue().entrySet()) {
                if (!keys.contains(k.getKey())) {
                    throw new ConfigException(source + ":" + k.getValue().get(0).line() + ": unknown variable '"
                            + k.getKey() + "' in section [" + s.getKey() + "]; known: " + String.join(", ", keys));
                }
            }
        }
        return this;
    }

    private List<Value> values(String section, String key) {
        Map<String, List<Value>> s = sections.get(section.toLowerCase(Locale.ROOT));
        if (s == null) {
            return List.of();
        }
        return s.getOrDefault(key.toLowerCase(Locale.ROOT), List.of());
    }

    private ConfigException error(String section, String key, Value v, String expected) {
        return new ConfigException(
                source + ":" + v.line() + ": [" + section + "] " + key + " = '" + v.text() + "' is not " + expected);
    }
}

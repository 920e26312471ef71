package mig.client.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mig.modules.HasParamsParser;
import mig.modules.ParameterException;

/**
 * {@code addoperation <module>}: builds a module's parameters a line at a time from the same flags
 * {@code mig <module>} takes ({@code -path /etc}, then {@code -name passwd}, then {@code done}).
 * The original had a hand-written questionnaire per module; driving every module through its one
 * flag parser keeps the console and the command line in step. Tab completes the module's flags,
 * read from its help text.
 */
final class ParamsBuilder {
    private static final Pattern FLAG = Pattern.compile("(?m)(?:^|\\s)(-[a-zA-Z][a-zA-Z0-9_-]*)");

    private final Console c;
    private final String module;
    private final HasParamsParser parser;

    ParamsBuilder(Console console, String module, HasParamsParser parser) {
        this.c = console;
        this.module = module;
        this.parser = parser;
    }

    /** The parameters, or empty when the investigator aborts or input ends. */
    Optional<JsonNode> build() {
        c.out.println("Building a " + module + " operation: type its flags as on 'mig " + module + "', one or more per"
                + " line\n(the leading '-' may be left out). 'help' lists the flags, 'done' adds the operation,"
                + " 'abort' drops it.");
        List<String> flags = flagNames();
        Completions completions = (w, i) -> {
            List<String> all = new ArrayList<>(flags);
            if (i == 0) {
                all.addAll(List.of("done", "abort", "help", "show"));
            }
            return all;
        };
        List<String> args = new ArrayList<>();
        while (true) {
            Optional<String> line =
                    c.lines.readLine(c.plain("\u001b[36;1m" + module + " params>\u001b[0m "), completions);
            if (line.isEmpty()) {
                return Optional.empty();
            }
            String input = line.get().strip();
            switch (input) {
                case "" -> {
                    continue;
                }
                case "abort", "exit" -> {
                    c.out.println("operation dropped");
                    return Optional.empty();
                }
                case "help" -> {
                    c.out.print(parser.help());
                    continue;
                }
                case "show" -> {
                    c.out.println(String.join(" ", args));
                    continue;
                }
                case "done" -> {
                    try {
                        JsonNode params = parser.parseArgs(args);
                        if (params == null) {
                            // nothing given yet, and the module's parser answers with its help
                            c.out.print(parser.help());
                            continue;
                        }
                        return Optional.of(params);
                    } catch (ParameterException e) {
                        c.out.println("error: " + e.getMessage() + " (fix with more flags, or 'abort')");
                        continue;
                    }
                }
                default -> {}
            }
            try {
                List<String> words = split(input);
                if (!words.get(0).startsWith("-")) {
                    words.set(0, "-" + words.get(0));
                }
                args.addAll(words);
            } catch (ConsoleException e) {
                c.out.println(e.getMessage());
            }
        }
    }

    private List<String> flagNames() {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = FLAG.matcher(parser.help());
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }

    /** Splits like a shell: spaces separate words, single or double quotes keep spaces inside one. */
    static List<String> split(String line) throws ConsoleException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(ch);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new ConsoleException("error: unclosed " + quote + " quote in: " + line);
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}

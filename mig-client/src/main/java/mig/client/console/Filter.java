package mig.client.console;

import java.util.ArrayList;
import java.util.List;
import mig.common.regex.GoRegexp;

/**
 * The action reader's {@code list ... | grep re | grep -v re}: each stage keeps the lines that match
 * (or, with {@code -v}, do not match) its regular expression, a Go regexp as in the original.
 */
final class Filter {
    private record Stage(GoRegexp re, boolean inverse) {}

    private final List<Stage> stages;

    private Filter(List<Stage> stages) {
        this.stages = stages;
    }

    /**
     * @param words the words from the first {@code |} on; empty for no filter
     * @throws ConsoleException naming the misplaced word, as the original's messages
     */
    static Filter parse(List<String> words) throws ConsoleException {
        List<Stage> stages = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            if (!words.get(i).equals("|")) {
                throw new ConsoleException("Invalid filter: expected '|' before '" + words.get(i) + "'");
            }
            if (i + 1 >= words.size() || !words.get(i + 1).equals("grep")) {
                throw new ConsoleException("Invalid filter: grep must follow a pipe");
            }
            i += 2;
            boolean inverse = i < words.size() && words.get(i).equals("-v");
            if (inverse) {
                i++;
            }
            if (i >= words.size()) {
                throw new ConsoleException("Invalid filter: grep needs a regular expression");
            }
            try {
                stages.add(new Stage(GoRegexp.compile(words.get(i)), inverse));
            } catch (GoRegexp.SyntaxException e) {
                throw new ConsoleException("Invalid filter '" + words.get(i) + "': " + e.getMessage());
            }
            i++;
        }
        return new Filter(stages);
    }

    boolean keeps(String line) {
        for (Stage s : stages) {
            if (s.re().find(line) == s.inverse()) {
                return false;
            }
        }
        return true;
    }
}

package mig.client.console;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The console's line editor on a terminal (JLine): Emacs keys, history kept in
 * {@code ~/.mig_history} across sessions, Tab completing the current mode's orders, modules and
 * recently seen ids.
 *
 * <p>The parser is told to leave the line alone: no {@code !} history expansion (targets contain
 * {@code !=}), no backslash escapes (regular expressions), no waiting for a closing quote (a
 * {@code LIKE '%x} typo must not freeze the prompt).
 */
final class JLineSource implements LineSource {
    private final Terminal terminal;
    private final LineReader reader;
    private final PrintStream err;
    private volatile Completions current = Completions.NONE;

    JLineSource(Path historyFile, PrintStream err) throws IOException {
        this.err = err;
        this.terminal =
                TerminalBuilder.builder().system(true).name("mig-console").build();
        DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(new char[0]);
        parser.setEofOnUnclosedQuote(false);
        parser.setEofOnEscapedNewLine(false);
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("mig-console")
                .parser(parser)
                .variable(LineReader.HISTORY_FILE, historyFile)
                .variable(LineReader.HISTORY_FILE_SIZE, 10_000)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, false)
                // plain lines, as the original's readline wrote ~/.mig_history
                .option(LineReader.Option.HISTORY_TIMESTAMPED, false)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .completer((r, line, candidates) -> {
                    String upToCursor = line.line()
                            .substring(0, Math.min(line.cursor(), line.line().length()));
                    List<String> words = new ArrayList<>(
                            Arrays.asList(upToCursor.stripLeading().split("\\s+", -1)));
                    if (words.isEmpty()) {
                        words.add("");
                    }
                    for (String c : current.candidates(words, words.size() - 1)) {
                        // "key=" waits for its value: no space after it
                        candidates.add(new Candidate(c, c, null, null, null, null, !c.endsWith("=")));
                    }
                })
                .build();
    }

    @Override
    public Optional<String> readLine(String prompt, Completions completions) {
        current = completions;
        while (true) {
            try {
                return Optional.of(reader.readLine(prompt));
            } catch (UserInterruptException e) {
                // Ctrl-C clears the line, as in a shell; Ctrl-D leaves
                continue;
            } catch (EndOfFileException e) {
                return Optional.empty();
            } finally {
                current = Completions.NONE;
            }
        }
    }

    @Override
    public void remember(String line) {
        // LineReader adds every accepted line to its history itself (and appends it to the file)
    }

    @Override
    public List<String> history() {
        List<String> out = new ArrayList<>();
        for (History.Entry e : reader.getHistory()) {
            out.add(e.line());
        }
        return out;
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public void close() {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            err.println("failed to save history: " + e.getMessage());
        }
        try {
            terminal.close();
        } catch (IOException e) {
            // the process is ending
        }
    }
}

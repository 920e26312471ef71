package mig.client.console;

import java.util.List;
import java.util.Optional;

/**
 * Where the console reads its lines: a line editor on a terminal ({@link JLineSource}: history in
 * {@code ~/.mig_history}, tab completion) or plain lines from a pipe ({@link PipedSource}: no
 * prompts, so a script's output is only the answers).
 */
interface LineSource extends AutoCloseable {

    /**
     * Reads the next line, showing {@code prompt} (which may hold ANSI colours) on a terminal.
     *
     * @param completions what Tab offers while this line is edited
     * @return the line, or empty at end of input (Ctrl-D)
     */
    Optional<String> readLine(String prompt, Completions completions);

    /** Reads an answer to a question (no completion). */
    default Optional<String> ask(String prompt) {
        return readLine(prompt, Completions.NONE);
    }

    /** Adds a line to the history (the original records every order, in every mode). */
    void remember(String line);

    /** The history, oldest first. */
    List<String> history();

    /** Whether a person is typing (prompts shown, questions may be asked). */
    boolean interactive();

    @Override
    void close();
}

package mig.client.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lines from a pipe or a file, for scripted consoles ({@code mig-console < orders.txt}): no prompt
 * is printed and nothing is written to {@code ~/.mig_history}, so the output holds only answers.
 */
final class PipedSource implements LineSource {
    private final BufferedReader in;
    private final List<String> history = new ArrayList<>();

    PipedSource(BufferedReader in) {
        this.in = in;
    }

    @Override
    public Optional<String> readLine(String prompt, Completions completions) {
        try {
            return Optional.ofNullable(in.readLine());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's input: " + e.getMessage(), e);
        }
    }

    @Override
    public void remember(String line) {
        history.add(line);
    }

    @Override
    public List<String> history() {
        return List.copyOf(history);
    }

    @Override
    public boolean interactive() {
        return false;
    }

    @Override
    public void close() {
        // the input belongs to the caller
    }
}

package mig.loader;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One in-process run of mig-loader with its exit status and what it printed, for tests and tools. */
public record LoaderRun(int code, String output) {

    /** Runs {@code mig-loader -f config}. */
    public static LoaderRun of(Path config) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int code = LoaderMain.run(new String[] {"-f", config.toString()}, ps, ps);
        return new LoaderRun(code, buf.toString(StandardCharsets.UTF_8));
    }
}

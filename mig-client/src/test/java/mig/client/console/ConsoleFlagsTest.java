package mig.client.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import mig.client.cli.Colours;
import mig.client.cli.MigMain;
import mig.client.config.MigRc;
import org.junit.jupiter.api.Test;

/** {@code mig-console}'s command line: Go's flag package messages and usage, exit 0 for -h and 2 for a bad flag. */
class ConsoleFlagsTest {

    private static final String USAGE = "Usage of mig-console:\n"
            + "  -V\tshow build version and exit\n"
            + "  -c string\n    \tLoad configuration from file (default \"" + MigRc.defaultPath() + "\")\n"
            + "  -q\tdon't display banners and prompts\n"
            + "  -v\tverbose output, includes debug information and raw queries\n";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        MigMain.Io io = new MigMain.Io(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                InputStream.nullInputStream(),
                false,
                false,
                new Colours(false),
                Clock.systemUTC());
        return ConsoleMain.run(List.of(args), io);
    }

    @Test
    void helpIsGosUsageOnStderr() {
        assertEquals(0, run("-h"));
        assertEquals(USAGE, err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownFlagIsGosMessageThenUsage() {
        assertEquals(2, run("-q", "-x"));
        assertEquals("flag provided but not defined: -x\n" + USAGE, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBadBooleanAndAMissingValueAreGosMessages() {
        assertEquals(2, run("-q=yes"));
        assertEquals(2, run("-c"));
        assertEquals(
                "invalid boolean value \"yes\" for -q: parse error\n" + USAGE + "flag needs an argument: -c\n" + USAGE,
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionInAnyGoForm() {
        assertEquals(0, run("--V=true"));
        assertEquals(0, run("-q", "-V"));
        assertEquals(
                mig.common.Version.VERSION + "\n" + mig.common.Version.VERSION + "\n",
                out.toString(StandardCharsets.UTF_8));
    }
}

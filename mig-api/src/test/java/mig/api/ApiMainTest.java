package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import mig.common.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code mig-api} command line. */
class ApiMainTest {

    @Test
    void dashVPrintsTheVersion() {
        String out = capture(true, () -> assertEquals(0, ApiMain.run(new String[] {"-V"})));
        assertEquals(Version.VERSION, out.strip());
    }

    @Test
    void goFormsOfTheFlags() {
        String out = capture(true, () -> assertEquals(0, ApiMain.run(new String[] {"-d=false", "--V=true"})));
        assertEquals(Version.VERSION, out.strip());
        String err = capture(false, () -> assertEquals(0, ApiMain.run(new String[] {"-help"})));
        assertEquals(ApiMain.USAGE, err.strip());
        err = capture(false, () -> assertEquals(2, ApiMain.run(new String[] {"-d=yes"})));
        assertTrue(err.startsWith("invalid boolean value \"yes\" for -d: parse error\nusage: mig-api"), err);
        err = capture(false, () -> assertEquals(2, ApiMain.run(new String[] {"-d", "extra"})));
        assertTrue(err.startsWith("unknown argument 'extra'\n"), err);
    }

    @Test
    void unknownFlagsAndMissingArgumentsAreUsageErrors() {
        String err = capture(false, () -> assertEquals(2, ApiMain.run(new String[] {"-x"})));
        assertTrue(err.contains("unknown argument '-x'") && err.contains("usage: mig-api"), err);
        err = capture(false, () -> assertEquals(2, ApiMain.run(new String[] {"-c"})));
        assertTrue(err.contains("flag needs an argument: -c"), err);
    }

    @Test
    void aBadConfigurationStopsTheApiWithTheReason(@TempDir Path dir) throws Exception {
        String err = capture(false, () -> assertEquals(9, ApiMain.run(new String[] {"-c", dir + "/missing.cfg"})));
        assertTrue(err.contains("FATAL: cannot read configuration file"), err);
        Path cfg = dir.resolve("api.cfg");
        Files.writeString(cfg, "[server]\nport = 1664\nlisten = everywhere\n");
        err = capture(false, () -> assertEquals(9, ApiMain.run(new String[] {"-c=" + cfg})));
        assertTrue(err.contains("unknown variable 'listen' in section [server]"), err);
    }

    private static String capture(boolean stdout, Runnable r) {
        PrintStream old = stdout ? System.out : System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        if (stdout) {
            System.setOut(ps);
        } else {
            System.setErr(ps);
        }
        try {
            r.run();
        } finally {
            if (stdout) {
                System.setOut(old);
            } else {
                System.setErr(old);
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}

package mig.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The agent's command line read as Go's flag package reads it (spec §10.1). */
class AgentFlagsTest {

    @Test
    void usageIsTheRecordedText() throws IOException {
        // usage.txt is what the hand-written parser printed before the move to picocli
        try (InputStream in = AgentFlagsTest.class.getResourceAsStream("usage.txt")) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), AgentFlags.usage());
        }
    }

    @Test
    void goForms() throws Exception {
        AgentFlags f = AgentFlags.parse(
                new String[] {"-m", "file", "--p", "-d=false", "-f=T", "-c=/tmp/a.cfg", "--rundir", "/tmp/run"});
        assertEquals("file", f.mode());
        assertTrue(f.pretty());
        assertFalse(f.debug());
        assertTrue(f.foreground());
        assertEquals(Optional.of("/tmp/a.cfg"), f.configFile());
        assertEquals(Optional.of("/tmp/run"), f.runDir());
        assertEquals(Optional.empty(), f.confDir());
        assertEquals("agent", AgentFlags.parse(new String[0]).mode());
        assertTrue(AgentFlags.parse(new String[] {"-V", "--"}).version());
    }

    @Test
    void refusals() {
        assertEquals("flag provided but not defined: -x", refusal("-x").getMessage());
        assertEquals("flag needs an argument: -m", refusal("-m").getMessage());
        assertEquals(
                "invalid boolean value \"yes\" for -d: parse error",
                refusal("-d=yes").getMessage());
        // Go would read "false" as the first argument after the flags; the agent refuses any such argument
        assertEquals("unexpected argument 'false'", refusal("-d", "false").getMessage());
        assertEquals("unexpected argument '-d'", refusal("--", "-d").getMessage());
        assertTrue(refusal("-h").help());
        assertTrue(refusal("--help").help());
        assertFalse(refusal("-x").help());
    }

    private static AgentFlags.UsageException refusal(String... args) {
        return assertThrows(AgentFlags.UsageException.class, () -> AgentFlags.parse(args));
    }
}

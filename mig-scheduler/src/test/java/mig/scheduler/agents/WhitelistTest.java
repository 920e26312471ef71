package mig.scheduler.agents;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhitelistTest {

    @Test
    void withoutAFileEveryAgentIsAllowed() {
        assertTrue(new Whitelist(Optional.empty()).allows("linux.anything"));
    }

    @Test
    void matchesExactQueuelocsAndAnchoredPatterns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("whitelist.txt");
        Files.writeString(file, "linux.exact1\nre:windows\\.[a-z]+\nre:\n");
        Whitelist w = new Whitelist(Optional.of(file));

        assertTrue(w.allows("linux.exact1"));
        assertFalse(w.allows("linux.exact12"));
        assertTrue(w.allows("windows.abc"));
        assertFalse(w.allows("xwindows.abc"));
        assertFalse(w.allows("windows.abc1"));
        assertTrue(w.allows("re:"));
    }

    @Test
    void patternsAreGoRegexpsAnchoredAsTheOriginalAnchorsThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("whitelist.txt");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        // the original compiles "^" + regex + "$": the anchors bind to the alternatives
                        "re:linux\\.a|windows\\.b",
                        // Go's named group syntax, which java.util.regex refuses
                        "re:(?P<os>darwin)\\.[a-z]+",
                        // a lookahead, which Go refuses: the line is ignored and allows nobody
                        "re:(?=x)freebsd\\..*",
                        ""));
        Whitelist w = new Whitelist(Optional.of(file));

        assertTrue(w.allows("linux.abc"), "^linux\\.a matches the start");
        assertTrue(w.allows("xwindows.b"), "windows\\.b$ matches the end");
        assertFalse(w.allows("xlinux.a"));
        assertFalse(w.allows("windows.bx"));
        assertTrue(w.allows("darwin.host"));
        assertFalse(w.allows("darwin.host1"));
        assertFalse(w.allows("freebsd.host"));
        assertFalse(w.allows("xfreebsd.host"));
    }

    @Test
    void readsTheFileAgainWhenItChanges(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("whitelist.txt");
        Files.writeString(file, "linux.a\n");
        Whitelist w = new Whitelist(Optional.of(file));
        assertFalse(w.allows("linux.b"));

        Files.writeString(file, "linux.b\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertTrue(w.allows("linux.b"));
    }

    @Test
    void anUnreadableFileAllowsNobody(@TempDir Path dir) {
        assertFalse(new Whitelist(Optional.of(dir.resolve("missing.txt"))).allows("linux.a"));
    }
}

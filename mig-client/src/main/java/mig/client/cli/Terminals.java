package mig.client.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream is a terminal, without a native library: on Linux each file descriptor
 * is a link under {@code /proc/self/fd} to {@code /dev/pts/N} or {@code /dev/ttyN} when it is one.
 * Elsewhere {@link System#console()} is the fallback (true only when stdin and stdout both are).
 * Used to choose a redrawn progress bar or plain lines, and whether to prompt.
 */
public final class Terminals {
    private Terminals() {}

    /** True when file descriptor 0, 1 or 2 is a terminal. */
    public static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            if (Files.isSymbolicLink(link)) {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            // fall through to the portable answer
        }
        return System.console() != null;
    }

    /** The terminal width from {@code $COLUMNS}, else 80 (the bar never uses more). */
    public static int columns() {
        String c = System.getenv("COLUMNS");
        if (c != null && c.matches("[0-9]{1,4}")) {
            return Integer.parseInt(c);
        }
        return ProgressBar.MAX_WIDTH;
    }

    /** Colour escapes unless {@code NO_COLOR} is set (https://no-color.org). */
    public static boolean colours() {
        String v = System.getenv("NO_COLOR");
        return v == null || v.isEmpty();
    }
}

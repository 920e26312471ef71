package mig.modules.file;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Turns Java I/O exceptions into the errno wording of the original's Go errors
 * ({@code open /x: permission denied}), so walking errors read the same from both agents.
 */
final class IoErrors {

    private IoErrors() {
    }

    /** {@code <op> <path>: <reason>}, e.g. {@code open /root/x: permission denied}. */
    static String describe(String op, Object path, IOException e) {
        return op + " " + path + ": " + reason(e);
    }

    /** The errno-like reason alone, lower-cased like Go's syscall error strings. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemLoopException) {
            return "too many levels of symbolic links";
        }
        if (e instanceof ClosedByInterruptException) {
            return "interrupted";
        }
        String text = e instanceof FileSystemException fse && fse.getReason() != null
                ? fse.getReason() : e.getMessage();
        if (text == null || text.isBlank()) {
            return e.getClass().getSimpleName();
        }
        if (text.startsWith("Too many levels of symbolic links")) {
            return "too many levels of symbolic links"; // the JDK appends its own guess to ELOOP
        }
        return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }
}

package mig.modules.file;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns Java I/O exceptions into the errno wording of the original's Go errors
 * ({@code open /x: permission denied}), so walking errors read the same from both agents.
 */
final class IoErrors {

    private IoErrors() {}

    /** {@code <op> <path>: <reason>}, e.g. {@code open /root/x: permission denied}. */
    static String describe(String op, Object path, IOException e) {
        return op + " " + path + ": " + reason(e);
    }

    /**
     * Why a link could not be followed, in the words of Go's {@code filepath.EvalSymlinks}: a loop
     * is {@code EvalSymlinks: too many links}; a missing target names the first path along the
     * link chain that does not exist ({@code lstat /dir/nowhere: no such file or directory}), not
     * the link.
     */
    static String linkFailure(Path link, IOException e) {
        if (e instanceof FileSystemLoopException || reason(e).equals("too many levels of symbolic links")) {
            return "EvalSymlinks: too many links";
        }
        if (e instanceof NoSuchFileException) {
            try {
                Path cur = link.toAbsolutePath();
                for (int hops = 0; hops < 255 && Files.isSymbolicLink(cur); hops++) {
                    Path abs = cur.resolveSibling(Files.readSymbolicLink(cur)).normalize();
                    Path prefix = abs.getRoot();
                    for (Path part : abs) {
                        prefix = prefix.resolve(part);
                        if (!Files.exists(prefix, LinkOption.NOFOLLOW_LINKS)) {
                            return describe("lstat", prefix, e);
                        }
                    }
                    cur = abs;
                }
            } catch (IOException | RuntimeException ignored) {
                // the chain changed while we read it: fall back to naming the link
            }
        }
        return describe("lstat", link, e);
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
        String text =
                e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
        if (text == null || text.isBlank()) {
            return e.getClass().getSimpleName();
        }
        if (text.startsWith("Too many levels of symbolic links")) {
            return "too many levels of symbolic links"; // the JDK appends its own guess to ELOOP
        }
        return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }
}

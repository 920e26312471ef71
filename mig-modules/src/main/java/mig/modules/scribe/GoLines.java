package mig.modules.scribe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A file's lines as the original read them with Go's {@code bufio.Reader.ReadLine} and its 4096-byte
 * buffer: {@code \n} or {@code \r\n} ends a line, and a longer line comes as several pieces of at
 * most 4096 bytes (a piece never ends with a {@code \r}), each matched as a line of its own.
 */
final class GoLines {

    static final int BUFFER = 4096;

    private GoLines() {}

    static void read(InputStream in, Consumer<String> line) throws IOException {
        byte[] buf = new byte[BUFFER];
        int r = 0;
        int w = 0;
        boolean eof = false;
        while (true) {
            // ReadSlice('\n'): a newline in the buffered bytes, a full buffer, or the end
            int nl = -1;
            while (true) {
                for (int i = r; i < w; i++) {
                    if (buf[i] == '\n') {
                        nl = i;
                        break;
                    }
                }
                if (nl >= 0 || w - r >= BUFFER || eof) {
                    break;
                }
                if (r > 0) {
                    System.arraycopy(buf, r, buf, 0, w - r);
                    w -= r;
                    r = 0;
                }
                int n = in.read(buf, w, BUFFER - w);
                if (n < 0) {
                    eof = true;
                } else {
                    w += n;
                }
            }
            if (nl >= 0) {
                int end = nl;
                if (end > r && buf[end - 1] == '\r') {
                    end--;
                }
                line.accept(new String(buf, r, end - r, StandardCharsets.UTF_8));
                r = nl + 1;
            } else if (w - r >= BUFFER) {
                int end = w;
                if (buf[end - 1] == '\r') {
                    end--; // ReadLine puts a trailing \r back so that \r\n is not split
                }
                line.accept(new String(buf, r, end - r, StandardCharsets.UTF_8));
                r = end;
            } else {
                if (w > r) {
                    line.accept(new String(buf, r, w - r, StandardCharsets.UTF_8));
                }
                return;
            }
        }
    }
}

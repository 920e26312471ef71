package mig.modules.file;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Lists a directory with the C library's {@code opendir}/{@code readdir} through JNA, to read each
 * entry's type from the directory itself ({@code d_type}), as {@code find} and Go's
 * {@code os.ReadDir} do. {@code java.nio.file} gives only names, so the walker had to {@code lstat}
 * every entry to learn whether it is a directory: over {@code /usr} (158,000 entries) that was
 * 1.2-1.5 s of a 1.7 s name search; listing with the types takes 0.4-0.5 s. Only the entries a
 * search still wants (a file whose name matched, a directory entered, a link) are then looked at.
 *
 * <p>Used on 64-bit Linux only, where {@code struct dirent} is {@code d_ino} (8 bytes),
 * {@code d_off} (8), {@code d_reclen} (2), {@code d_type} (1), {@code d_name}. Anywhere else, or
 * when JNA cannot load its native part (a {@code noexec} temporary folder), {@link #AVAILABLE} is
 * false and the walker lists with {@code java.nio.file} and an {@code lstat} per entry, as before
 * (also when the system property {@value #OFF_PROPERTY} is true).
 */
final class NativeDirs {

    /** {@code d_type} values (dirent.h). */
    static final int DT_UNKNOWN = 0;

    static final int DT_DIR = 4;
    static final int DT_REG = 8;
    static final int DT_LNK = 10;

    private static final int RECLEN = 16;
    private static final int TYPE = 18;
    private static final int NAME = 19;

    /** The charset the JDK encodes file names with, so names read the same as through NIO. */
    static final Charset JNU = jnu();

    static final boolean AVAILABLE = load();

    private NativeDirs() {}

    private static boolean load() {
        if (!Platform.isLinux() || Native.POINTER_SIZE != 8) {
            return false;
        }
        try {
            Native.register(NativeDirs.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (LinkageError | RuntimeException e) {
            // JNA could not load its native part (a read-only or noexec temporary folder, as under
            // the agent's unit): UnsatisfiedLinkError the first time, NoClassDefFoundError when
            // another module tried first; either way the walk lists through NIO
            return false;
        }
    }

    private static Charset jnu() {
        try {
            return Charset.forName(System.getProperty(
                    "sun.jnu.encoding", Charset.defaultCharset().name()));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    private static native Pointer opendir(byte[] path) throws LastErrorException;

    private static native Pointer readdir(Pointer dir) throws LastErrorException;

    private static native int closedir(Pointer dir);

    /** An open directory; not thread-safe. */
    static final class Dir implements Closeable {
        private Pointer dir;
        private final byte[] name = new byte[256];
        private int nameLength;
        private int type;

        private Dir(Pointer dir) {
            this.dir = dir;
        }

        /**
         * Moves to the next entry other than {@code .} and {@code ..}.
         *
         * @return false at the end of the directory
         * @throws IOException when reading the directory fails
         */
        boolean next() throws IOException {
            while (true) {
                Pointer e;
                try {
                    e = readdir(dir);
                } catch (LastErrorException ex) {
                    throw new FileSystemException(null, null, "errno " + ex.getErrorCode());
                }
                if (e == null) {
                    return false;
                }
                int room = Math.min((e.getShort(RECLEN) & 0xffff) - NAME, name.length);
                e.read(NAME, name, 0, room);
                int n = 0;
                while (n < room && name[n] != 0) {
                    n++;
                }
                if (n == 1 && name[0] == '.' || n == 2 && name[0] == '.' && name[1] == '.') {
                    continue;
                }
                nameLength = n;
                type = e.getByte(TYPE) & 0xff;
                return true;
            }
        }

        /** The current entry's {@code d_type}. */
        int type() {
            return type;
        }

        /** The current entry's name as bytes. */
        byte[] nameBytes() {
            return Arrays.copyOf(name, nameLength);
        }

        /** True when the current entry's name is ASCII, so its string and bytes map one to one. */
        boolean asciiName() {
            for (int i = 0; i < nameLength; i++) {
                if (name[i] < 0) {
                    return false;
                }
            }
            return true;
        }

        /** The current entry's name as the JDK would show it. */
        String name() {
            return asciiName()
                    ? new String(name, 0, nameLength, StandardCharsets.ISO_8859_1)
                    : new String(name, 0, nameLength, JNU);
        }

        @Override
        public void close() {
            if (dir != null) {
                closedir(dir);
                dir = null;
            }
        }
    }

    /** Set to true to list through NIO even where the native listing is available (tests compare both). */
    static final String OFF_PROPERTY = "mig.file.nativeDirs.off";

    /** True when walks list natively. */
    static boolean enabled() {
        return AVAILABLE && !Boolean.getBoolean(OFF_PROPERTY);
    }

    /** A path's bytes as the JDK passes them to the system, or null when not listing natively. */
    static byte[] bytesOf(Path path) {
        return enabled() ? path.toString().getBytes(JNU) : null;
    }

    /**
     * The path of these bytes, exactly, for a name that is not ASCII: a name that is not valid in
     * the file-name charset decodes to U+FFFD and would not encode back to the same bytes, so the
     * path is made from a {@code file:} URI with every other byte percent-escaped, which the JDK's
     * file system turns back into those bytes.
     */
    static Path pathOf(byte[] bytes) {
        StringBuilder uri = new StringBuilder(bytes.length * 3 + 8).append("file://");
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '/'
                    || c == '.'
                    || c == '-'
                    || c == '_'
                    || c >= '0' && c <= '9'
                    || c >= 'A' && c <= 'Z'
                    || c >= 'a' && c <= 'z') {
                uri.append((char) c);
            } else {
                uri.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return Path.of(URI.create(uri.toString()));
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * Opens a directory by its path's bytes.
     *
     * @return the open directory, or null when it cannot be opened (the caller then opens it through
     *     NIO, which reports the failure in the usual words)
     */
    static Dir open(byte[] path) {
        byte[] z = Arrays.copyOf(path, path.length + 1);
        try {
            Pointer p = opendir(z);
            return p == null ? null : new Dir(p);
        } catch (LastErrorException e) {
            return null;
        }
    }
}

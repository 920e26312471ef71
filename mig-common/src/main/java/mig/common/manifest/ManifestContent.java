package mig.common.manifest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The content of a manifest record, as the original stores it: a gzip-compressed tar archive,
 * base64-encoded. Only regular files count; each is named by the last element of its path (the
 * bundle name, e.g. {@code mig-agent}), as in the original's {@code ManifestResponse} and
 * {@code ManifestObject}.
 *
 * <p>Reading is bounded: {@link #MAX_UNCOMPRESSED} bytes of archive in all, so a small upload that
 * inflates to gigabytes is refused instead of keeping the API busy.
 */
public final class ManifestContent {
    /** Largest archive accepted after decompression. */
    public static final long MAX_UNCOMPRESSED = 512L << 20;

    private ManifestContent() {}

    /** The files of the archive with their SHA-256, in archive order. */
    public static List<ManifestEntry> entries(String base64) throws ManifestException {
        List<ManifestEntry> out = new ArrayList<>();
        walk(base64, (name, in) -> {
            MessageDigest sha = sha256();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
            out.add(new ManifestEntry(name, HexFormat.of().formatHex(sha.digest())));
            return false;
        });
        return out;
    }

    /**
     * The file named {@code object}, gzip-compressed, as {@code /manifest/fetch/} sends it.
     *
     * @throws ManifestException when the archive is unreadable or has no such file
     */
    public static byte[] object(String base64, String object) throws ManifestException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        boolean found = walk(base64, (name, in) -> {
            if (!name.equals(object)) {
                return false;
            }
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                in.transferTo(out);
            }
            return true;
        });
        if (!found) {
            throw new ManifestException("object " + object + " not found in manifest");
        }
        return gz.toByteArray();
    }

    /** Builds content from files (name, bytes), as {@code tar czf} of a folder would: for tests and tools. */
    public static String of(java.util.Map<String, byte[]> files) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(raw);
                org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
                        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gz)) {
            for (var f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry("bundle/" + f.getKey());
                e.setSize(f.getValue().length);
                e.setMode(0644);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot build a tar archive in memory", e);
        }
        return Base64.getEncoder().encodeToString(raw.toByteArray());
    }

    private interface Visitor {
        /** @return true to stop */
        boolean visit(String name, InputStream content) throws IOException;
    }

    private static boolean walk(String base64, Visitor visitor) throws ManifestException {
        if (base64 == null || base64.isEmpty()) {
            throw new ManifestException("manifest record has no content");
        }
        byte[] archive;
        try {
            archive = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ManifestException("manifest content is not base64: " + e.getMessage(), e);
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new Bounded(new GZIPInputStream(new ByteArrayInputStream(archive)), MAX_UNCOMPRESSED))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile() || e.isLink() || e.isSymbolicLink()) {
                    continue;
                }
                String name = e.getName();
                int slash = name.lastIndexOf('/');
                if (visitor.visit(slash >= 0 ? name.substring(slash + 1) : name, tar)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            throw new ManifestException("manifest content is not a gzip-compressed tar archive: " + e.getMessage(), e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Stops reading past {@code limit} bytes. */
    private static final class Bounded extends java.io.FilterInputStream {
        private long left;

        Bounded(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                left -= n;
                if (left < 0) {
                    throw new IOException("the archive is larger than " + MAX_UNCOMPRESSED + " bytes uncompressed");
                }
            }
            return n;
        }
    }
}

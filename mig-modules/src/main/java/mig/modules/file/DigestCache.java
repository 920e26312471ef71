package mig.modules.file;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The digests of the files one search run has already hashed, so that a file reached again under
 * another name is not read again. The walk follows every link to a regular file, as the original's
 * does: in {@code /usr/lib/x86_64-linux-gnu}, {@code libfoo.so -> libfoo.so.1 -> libfoo.so.1.2.3}
 * is reported three times, and without this it was read three times (1.7 GB read for 0.7 GB of
 * files). Results are unchanged: each name still gets its own result, with the same digests.
 *
 * <p>A file is known by its device and inode (the attributes' file key), size and modification
 * time, as seen when the walker found it; a file changed in between gets a new key. Only the
 * last {@value #CAPACITY} files are kept (links mostly sit next to their targets), so memory stays
 * bounded whatever the tree. When two workers reach the same file at once, the second waits for the
 * first's digests instead of reading it too; if the first fails, the second reads it itself.
 *
 * <p>Written here rather than taken from a cache library: it is one bounded LRU map of futures,
 * used by one run, and the file module has no other caching need.
 */
final class DigestCache {

    static final int CAPACITY = 4096;

    /** What identifies one file's bytes for the run. */
    record Key(Object fileKey, long size, FileTime mtime) {}

    /** A claim on a key: the owner reads the file and completes it; others wait on it. */
    record Claim(CompletableFuture<Map<HashAlgo, String>> digests, boolean owner) {}

    private final Map<Key, CompletableFuture<Map<HashAlgo, String>>> entries = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<Map<HashAlgo, String>>> e) {
            return size() > CAPACITY;
        }
    };

    /** The key of a file, or null when the platform gives no file identity. */
    static Key keyOf(BasicFileAttributes attrs) {
        Object k = attrs.fileKey();
        return k == null ? null : new Key(k, attrs.size(), attrs.lastModifiedTime());
    }

    /** Claims a key: the first caller owns it and must {@link #complete} it; later callers wait. */
    synchronized Claim claim(Key key) {
        CompletableFuture<Map<HashAlgo, String>> f = entries.get(key);
        if (f != null) {
            return new Claim(f, false);
        }
        f = new CompletableFuture<>();
        entries.put(key, f);
        return new Claim(f, true);
    }

    /**
     * Ends an owner's claim: with the digests of the whole file, or null when it was not read whole
     * (an error, the deadline), in which case the key is dropped so that a later reader tries again.
     */
    synchronized void complete(Key key, Claim claim, Map<HashAlgo, String> digests) {
        if (digests == null) {
            entries.remove(key, claim.digests());
        }
        claim.digests().complete(digests == null ? null : new EnumMap<>(digests));
    }

    /**
     * The digests a waiting claim gets, or null when the owner did not read the file whole or did
     * not compute every algorithm wanted.
     *
     * @throws SearchAborted when the waiting thread is interrupted
     */
    static Map<HashAlgo, String> await(Claim claim, Set<HashAlgo> wanted) {
        Map<HashAlgo, String> d;
        try {
            d = claim.digests().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SearchAborted(SearchAborted.Reason.INTERRUPTED);
        } catch (ExecutionException e) {
            return null;
        }
        return d != null && d.keySet().containsAll(wanted) ? d : null;
    }
}

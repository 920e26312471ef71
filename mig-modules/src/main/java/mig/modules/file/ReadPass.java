package mig.modules.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import mig.common.regex.GoRegexp;

/**
 * Reads one file once for every content and digest check that the searches still need, however
 * many searches and algorithms that is.
 *
 * <p>The file is read in fixed buffers through a {@link FileChannel} (so an interrupt at the deadline
 * ends a blocked read). Each buffer goes to the "raw" view: every digest asked of the file's bytes,
 * and the line splitter when a content check wants raw lines. When a search asks for
 * {@code decompress} and the file starts with the gzip magic {@code 1f 8b}, the same bytes are also
 * inflated on the way through, feeding a second "gzip" view with its own digests and lines; the file
 * is still read once. Reading stops as soon as no view needs more: content checks all decided, no
 * digest wanted, or every matchall search already failed.
 *
 * <p>One instance per worker thread ({@link Scratch} holds its buffers); not thread-safe.
 */
final class ReadPass {

    private static final int RAW = 0;
    private static final int GZ = 1;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    /** Buffers and digests a worker thread reuses from file to file. */
    static final class Scratch {
        final byte[] read = new byte[128 << 10];
        final ByteBuffer readBuffer = ByteBuffer.wrap(read);
        final List<EnumMap<HashAlgo, MessageDigest>> digests =
                List.of(new EnumMap<>(HashAlgo.class), new EnumMap<>(HashAlgo.class));
        final GuardedChars[] text;
        final LineSplitter[] splitters = {new LineSplitter(), new LineSplitter()};

        Scratch(Guard guard) {
            this.text = new GuardedChars[] {new GuardedChars(guard), new GuardedChars(guard)};
        }

        MessageDigest digest(int view, HashAlgo algo) {
            MessageDigest md = digests.get(view).computeIfAbsent(algo, HashAlgo::newDigest);
            md.reset();
            return md;
        }
    }

    /**
     * What the read found beyond the checks' results (which go into each {@link SearchProgress}).
     *
     * @param sha256     upper-case SHA-256 of the file's bytes when some search returns it, else null
     * @param errors     errors worth reporting
     * @param openFailed true when the file could not be opened
     */
    record Result(String sha256, List<String> errors, boolean openFailed) {}

    /** One search's interest in one view. */
    private static final class Consumer {
        final SearchProgress progress;
        final ContentScan scan;
        final boolean hashes;
        final boolean sha256;

        Consumer(SearchProgress progress, ContentScan scan, boolean hashes, boolean sha256) {
            this.progress = progress;
            this.scan = scan;
            this.hashes = hashes;
            this.sha256 = sha256;
        }

        boolean finished() {
            if (!progress.wantsMore()) {
                return true;
            }
            return (scan == null || scan.decided()) && !hashes && !sha256;
        }

        boolean wantsLines() {
            return scan != null && !scan.decided() && progress.wantsMore();
        }

        boolean wantsDigests() {
            return (hashes || sha256) && progress.wantsMore();
        }
    }

    /** A byte stream (the file, or the file inflated) and the consumers of its digests and lines. */
    private final class View implements LineSplitter.Sink {
        final int id;
        final List<Consumer> consumers = new ArrayList<>();
        final Map<HashAlgo, MessageDigest> digests = new EnumMap<>(HashAlgo.class);
        LineSplitter splitter;
        String error;

        View(int id) {
            this.id = id;
        }

        void prepare() {
            EnumSet<HashAlgo> algos = EnumSet.noneOf(HashAlgo.class);
            boolean lines = false;
            for (Consumer c : consumers) {
                if (c.hashes) {
                    algos.addAll(c.progress.search.algos);
                }
                if (c.sha256) {
                    algos.add(HashAlgo.SHA256);
                }
                lines |= c.scan != null;
            }
            for (HashAlgo a : algos) {
                digests.put(a, scratch.digest(id, a));
            }
            if (lines) {
                splitter = scratch.splitters[id];
                splitter.reset(this, lineStarts());
            }
        }

        /**
         * The bytes a line must start with for some consumer's check to accept it (see {@link
         * ContentScan#mayMatch}), or null when any line may be accepted: the splitter then does
         * not even hand the others over.
         */
        private boolean[] lineStarts() {
            boolean[] starts = new boolean[256];
            for (Consumer c : consumers) {
                if (c.scan != null && !c.scan.addLineStarts(starts)) {
                    return null;
                }
            }
            return starts;
        }

        boolean needsMore() {
            if (error != null) {
                return false;
            }
            for (Consumer c : consumers) {
                if (!c.finished()) {
                    return true;
                }
            }
            return false;
        }

        void feed(byte[] b, int off, int len) {
            if (error != null || len <= 0) {
                return;
            }
            boolean digestsWanted = false;
            boolean linesWanted = false;
            for (Consumer c : consumers) {
                digestsWanted |= c.wantsDigests();
                linesWanted |= c.wantsLines();
            }
            if (digestsWanted) {
                for (MessageDigest md : digests.values()) {
                    md.update(b, off, len);
                }
            }
            if (linesWanted) {
                splitter.feed(b, off, len);
            }
        }

        void end() {
            if (splitter != null && error == null) {
                splitter.end();
            }
        }

        @Override
        public void line(byte[] b, int off, int len) {
            boolean wanted = false;
            for (Consumer c : consumers) {
                if (c.wantsLines() && c.scan.mayMatch(b, off, len)) {
                    wanted = true;
                    break;
                }
            }
            if (!wanted) {
                return; // no check could match it: not decoded, no regex run
            }
            GuardedChars text = decode(id, b, off, len);
            for (Consumer c : consumers) {
                if (c.wantsLines()) {
                    c.scan.line(text);
                    if (c.progress.search.matchAll && c.scan.definitelyFails()) {
                        c.progress.alive = false;
                    }
                }
            }
        }

        String hex(HashAlgo algo) {
            MessageDigest md = digests.get(algo);
            return md == null ? null : HEX.formatHex(md.digest());
        }
    }

    private final Scratch scratch;
    private final Guard guard;
    private final View raw;
    private final View gz;
    private boolean rawEof;
    /** The raw view's digests as hex, filled by {@link #collect}. */
    private final Map<HashAlgo, String> rawHex = new EnumMap<>(HashAlgo.class);

    ReadPass(Scratch scratch, Guard guard) {
        this.scratch = scratch;
        this.guard = guard;
        this.raw = new View(RAW);
        this.gz = new View(GZ);
    }

    /**
     * Reads {@code path} for the searches in {@code progress} and records each content and digest
     * check's result in them, reusing the digests of a file this run already hashed under another
     * name (a link, a hard link) when only digests of its raw bytes are wanted.
     *
     * @param attrs the file's attributes as the walker saw them (the target's, for a link)
     * @param cache the run's digest cache, or null
     */
    Result run(Path path, BasicFileAttributes attrs, DigestCache cache, List<SearchProgress> progress) {
        DigestCache.Key key =
                cache == null || attrs == null ? null : digestsOnly(progress) ? DigestCache.keyOf(attrs) : null;
        if (key == null) {
            return read(path, progress);
        }
        Set<HashAlgo> wanted = wantedDigests(progress);
        DigestCache.Claim claim = cache.claim(key);
        if (!claim.owner()) {
            Map<HashAlgo, String> known = DigestCache.await(claim, wanted);
            if (known != null) {
                return reuse(known, progress);
            }
            return read(path, progress);
        }
        Map<HashAlgo, String> computed = null;
        try {
            Result r = read(path, progress);
            if (rawEof
                    && raw.error == null
                    && r.errors().isEmpty()
                    && rawHex.keySet().containsAll(wanted)) {
                computed = rawHex;
            }
            return r;
        } finally {
            cache.complete(key, claim, computed);
        }
    }

    /** True when every search still undecided wants only digests of the file's raw bytes. */
    private static boolean digestsOnly(List<SearchProgress> progress) {
        for (SearchProgress p : progress) {
            if (p.wantsMore() && (!p.search.contentChecks.isEmpty() || p.search.decompress)) {
                return false;
            }
        }
        return true;
    }

    private static Set<HashAlgo> wantedDigests(List<SearchProgress> progress) {
        EnumSet<HashAlgo> algos = EnumSet.noneOf(HashAlgo.class);
        for (SearchProgress p : progress) {
            if (p.wantsMore()) {
                algos.addAll(p.search.algos);
                if (p.search.returnSha256) {
                    algos.add(HashAlgo.SHA256);
                }
            }
        }
        return algos;
    }

    /** Records the checks' results from digests computed earlier in the run, as {@link #collect} would. */
    private static Result reuse(Map<HashAlgo, String> known, List<SearchProgress> progress) {
        String sha256 = null;
        for (SearchProgress p : progress) {
            if (!p.wantsMore()) {
                continue;
            }
            for (Check.HashCheck h : p.search.hashChecks) {
                p.record(h, h.wants(h.value().equals(known.get(h.algo()))));
            }
            if (p.search.returnSha256) {
                sha256 = known.get(HashAlgo.SHA256);
            }
        }
        return new Result(sha256, new ArrayList<>(0), false);
    }

    private Result read(Path path, List<SearchProgress> progress) {
        boolean anyContent = progress.stream().anyMatch(p -> p.wantsMore() && !p.search.contentChecks.isEmpty());
        String op = anyContent ? "checkContent() -> " : "checkHash() -> ";
        boolean anyDecompress = progress.stream().anyMatch(p -> p.wantsMore() && p.search.decompress);
        List<String> errors = new ArrayList<>(0);
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            interrupted();
            for (SearchProgress p : progress) {
                p.readFailed();
            }
            errors.add(op + IoErrors.describe("open", path, e));
            return new Result(null, errors, true);
        }
        try (ch) {
            ByteBuffer bb = scratch.readBuffer;
            bb.clear();
            int first = ch.read(bb);
            boolean gzip =
                    anyDecompress && first >= 2 && scratch.read[0] == (byte) 0x1f && scratch.read[1] == (byte) 0x8b;
            assign(progress, gzip);
            if (first < 0) {
                rawEof = true;
            } else {
                raw.feed(scratch.read, 0, first);
            }
            if (gzip && !gz.consumers.isEmpty()) {
                inflate(ch, Math.max(first, 0), path);
            }
            while (!rawEof && raw.needsMore()) {
                guard.check();
                bb.clear();
                int n = ch.read(bb);
                if (n < 0) {
                    rawEof = true;
                } else {
                    raw.feed(scratch.read, 0, n);
                }
            }
            if (rawEof) {
                raw.end();
            }
        } catch (IOException e) {
            interrupted();
            raw.error = IoErrors.describe("read", path, e);
            errors.add(op + raw.error);
        }
        return new Result(collect(path, op, errors), errors, false);
    }

    /** A failed read on an interrupted thread is the interrupt, not a file problem. */
    private static void interrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new SearchAborted(SearchAborted.Reason.INTERRUPTED);
        }
    }

    /** Sends each search to the view it reads: the inflated bytes for decompress on a gzip file, else the raw bytes. */
    private void assign(List<SearchProgress> progress, boolean gzip) {
        for (SearchProgress p : progress) {
            if (!p.wantsMore()) {
                continue;
            }
            CompiledSearch s = p.search;
            boolean wantSha = s.returnSha256;
            if (!s.readsContent()) {
                if (wantSha) {
                    raw.consumers.add(new Consumer(p, null, false, true));
                }
                continue;
            }
            ContentScan scan = s.contentChecks.isEmpty() ? null : new ContentScan(s.contentChecks, s.macroal);
            boolean hashes = !s.hashChecks.isEmpty();
            if (gzip && s.decompress) {
                gz.consumers.add(new Consumer(p, scan, hashes, false));
                if (wantSha) {
                    raw.consumers.add(new Consumer(p, null, false, true));
                }
            } else {
                raw.consumers.add(new Consumer(p, scan, hashes, wantSha));
            }
        }
        raw.prepare();
        gz.prepare();
    }

    /** Inflates the file while teeing every byte read from disk to the raw view. */
    private void inflate(FileChannel ch, int first, Path path) throws IOException {
        InputStream tee = new InputStream() {
            private int replay = 0;

            /** Non-zero until the end of the file, so that concatenated gzip members are read, as Go does. */
            @Override
            public int available() {
                return replay < first ? first - replay : rawEof ? 0 : 1;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (replay < first) {
                    int n = Math.min(len, first - replay);
                    System.arraycopy(scratch.read, replay, b, off, n);
                    replay += n;
                    return n;
                }
                if (rawEof) {
                    return -1;
                }
                guard.check();
                int n = ch.read(ByteBuffer.wrap(b, off, len));
                if (n < 0) {
                    rawEof = true;
                    return -1;
                }
                raw.feed(b, off, n);
                return n;
            }
        };
        byte[] out = new byte[64 << 10];
        try (GZIPInputStream in = new GZIPInputStream(tee, 64 << 10)) {
            while (gz.needsMore()) {
                int n = in.read(out);
                if (n < 0) {
                    gz.end();
                    return;
                }
                gz.feed(out, 0, n);
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            interrupted();
            gz.error = IoErrors.describe("decompressing", path, e);
        }
    }

    /** Records each consumer's content and digest results; returns the SHA-256 for fileinfo, if any. */
    private String collect(Path path, String op, List<String> errors) {
        if (gz.error != null) {
            errors.add(op + gz.error);
        }
        String sha256 = null;
        for (View v : List.of(raw, gz)) {
            Map<HashAlgo, String> hex = v == raw ? rawHex : new EnumMap<>(HashAlgo.class);
            for (Consumer c : v.consumers) {
                SearchProgress p = c.progress;
                if (v.error != null) {
                    p.readFailed();
                    continue;
                }
                if (!p.wantsMore()) {
                    continue;
                }
                if (c.scan != null) {
                    for (int i = 0; i < c.scan.size(); i++) {
                        p.record(c.scan.check(i), c.scan.passes(i));
                    }
                }
                if (c.hashes) {
                    for (Check.HashCheck h : p.search.hashChecks) {
                        String digest = hex.computeIfAbsent(h.algo(), v::hex);
                        p.record(h, h.wants(h.value().equals(digest)));
                    }
                }
                if (c.sha256 && v == raw) {
                    sha256 = hex.computeIfAbsent(HashAlgo.SHA256, v::hex);
                }
            }
        }
        return sha256;
    }

    /** Decodes a line as Go's regexp reads it (each byte of an invalid sequence is one U+FFFD). */
    private GuardedChars decode(int view, byte[] b, int off, int len) {
        GuardedChars text = scratch.text[view];
        text.setLength(GoRegexp.decodeUtf8(b, off, len, text.buffer(len)));
        return text;
    }
}

package mig.testkit.fuzz;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the property-based fuzz tests share: mutations of valid samples (byte flips, truncation,
 * insertions, type swaps, deep nesting, huge numbers, unicode), random text, and the outcome check
 * (only the documented exception types, each with a message, within a time bound).
 *
 * <p>Mutations take a {@link Random} seeded from a jqwik-generated {@code long}, so a failing try is
 * replayed by jqwik's seed and the failure message always shows the exact input.
 */
public final class Fuzz {

    /** Bound of one try in CPU time; a parser that needs longer for a few kB of input is hanging. */
    public static final Duration TRY_TIMEOUT = Duration.ofSeconds(10);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Fragments that parsers of JSON, targets, gcfg, armour and flags treat specially. */
    private static final List<String> TOKENS = List.of(
            "{",
            "}",
            "[",
            "]",
            "\"",
            "\\",
            ",",
            ":",
            "'",
            ";",
            "=",
            "-",
            "--",
            "/*",
            "#",
            "$",
            "%",
            "&",
            "?",
            "\\u0000",
            "\\ud800",
            "\\udc00x",
            "\\uZZZZ",
            "\\x",
            "\u0000",
            "\u2028",
            "\u00e9",
            "\ud83d\ude00",
            "\ufeff",
            "null",
            "true",
            "false",
            "NaN",
            "-0",
            "0x10",
            "1e999",
            "-1e999",
            "1.5",
            "-1",
            "2147483648",
            "9223372036854775808",
            "-9223372036854775809",
            "18446744073709551616",
            "1" + "0".repeat(400),
            "\n",
            "\r\n",
            "\t",
            " ",
            "\"\"",
            "[]",
            "{}",
            "[section]",
            "[a \"b\"]",
            "key = value",
            "\\\n",
            "-----BEGIN PGP SIGNATURE-----\n",
            "-----END PGP SIGNATURE-----\n",
            "=",
            "==",
            "Version: 1\n",
            "AND",
            "OR",
            "NOT",
            "(",
            ")",
            "->",
            "->>",
            "#>",
            "#>>",
            "NOW()",
            "interval '1 day'",
            "LIKE",
            "IN (",
            "-path",
            "-name",
            "-content",
            "-maxdepth",
            "-mtime",
            "-size",
            "-mode",
            "-sha256",
            "-lm",
            "-ci");

    /** Values of every JSON type, for type swaps. */
    private static final List<String> JSON_VALUES = List.of(
            "42",
            "-1",
            "0",
            "1.5",
            "1e400",
            "-1e400",
            "18446744073709551616",
            "1" + "0".repeat(1000),
            "\"x\"",
            "\"\"",
            "\"\\u0000\"",
            "\"\\ud800\"",
            "\"2020-13-45T99:99:99Z\"",
            "\"0001-01-01T00:00:00Z\"",
            "\"9999-12-31T23:59:60Z\"",
            "\"2026-11-28T19:04:22.1234567891Z\"",
            "\"2026-11-28T19:04:22+25:00\"",
            "\"+999999999-12-31T23:59:59Z\"",
            "\"-0001-01-01T00:00:00Z\"",
            "\"10000-01-01T00:00:00Z\"",
            "\"2026-11-28t19:04:22z\"",
            "true",
            "false",
            "null",
            "[]",
            "{}",
            "[null]",
            "{\"\":null}",
            "[[[[[]]]]]");

    private static final ExecutorService[] RUNNER = {newRunner()};

    private Fuzz() {}

    /** A mutation of {@code sample}: one to four edits, as text (unicode edits included). */
    public static String mutate(String sample, Random r) {
        StringBuilder s = new StringBuilder(sample);
        int edits = 1 + r.nextInt(4);
        for (int k = 0; k < edits; k++) {
            edit(s, r);
        }
        return s.toString();
    }

    /** A mutation of {@code sample} at the byte level: text edits plus bad UTF-8 and raw bit flips. */
    public static byte[] mutate(byte[] sample, Random r) {
        byte[] b = mutate(new String(sample, StandardCharsets.UTF_8), r).getBytes(StandardCharsets.UTF_8);
        if (b.length > 0 && r.nextInt(3) == 0) {
            b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        if (r.nextInt(6) == 0) {
            byte[][] bad = {
                {(byte) 0xff},
                {(byte) 0xc0, (byte) 0xaf},
                {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xe2, (byte) 0x82},
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}
            };
            byte[] ins = bad[r.nextInt(bad.length)];
            int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            byte[] out = new byte[b.length + ins.length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(ins, 0, out, at, ins.length);
            System.arraycopy(b, at, out, at + ins.length, b.length - at);
            b = out;
        }
        return b;
    }

    /**
     * A mutation of binary data (OpenPGP packets): the same edits on the bytes themselves, each byte
     * one ISO-8859-1 character, so that the bytes not edited stay as they were.
     */
    public static byte[] mutateBinary(byte[] sample, Random r) {
        StringBuilder s = new StringBuilder(new String(sample, StandardCharsets.ISO_8859_1));
        int edits = 1 + r.nextInt(3);
        for (int k = 0; k < edits; k++) {
            edit(s, r);
        }
        byte[] b = new byte[s.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) s.charAt(i);
        }
        return b;
    }

    private static void edit(StringBuilder s, Random r) {
        int len = s.length();
        int at = len == 0 ? 0 : r.nextInt(len + 1);
        switch (r.nextInt(10)) {
            case 0 -> { // flip a bit of one character
                if (len > 0) {
                    int i = Math.min(at, len - 1);
                    s.setCharAt(i, (char) (s.charAt(i) ^ (1 << r.nextInt(8))));
                }
            }
            case 1 -> s.setLength(at); // truncation
            case 2, 3 -> s.insert(at, TOKENS.get(r.nextInt(TOKENS.size())));
            case 4 -> { // delete a span
                int end = Math.min(len, at + 1 + r.nextInt(16));
                s.delete(at, end);
            }
            case 5 -> { // duplicate a span
                int end = Math.min(len, at + 1 + r.nextInt(64));
                s.insert(at, s.substring(at, end));
            }
            case 6 -> swapType(s, r);
            case 7 -> { // deep nesting
                int depth = new int[] {64, 200, 1500, 20000}[r.nextInt(4)];
                String[] open = {"[", "{\"a\":", "(", "NOT "};
                String[] close = {"]", "}", ")", ""};
                int kind = r.nextInt(open.length);
                s.insert(at, close[kind].repeat(depth));
                s.insert(at, open[kind].repeat(depth));
            }
            case 8 -> s.insert(at, "9".repeat(20 + r.nextInt(2000))); // huge number
            default -> s.insert(at, unicode(r, 1 + r.nextInt(8)));
        }
    }

    /** Replaces the JSON scalar nearest after a random point with a value of another JSON type. */
    private static void swapType(StringBuilder s, Random r) {
        String value = JSON_VALUES.get(r.nextInt(JSON_VALUES.size()));
        int colon = s.indexOf(":", s.length() == 0 ? 0 : r.nextInt(s.length()));
        if (colon < 0) {
            s.append(value);
            return;
        }
        int start = colon + 1;
        int end = start;
        if (end < s.length() && s.charAt(end) == '"') {
            end++;
            while (end < s.length() && s.charAt(end) != '"') {
                end += s.charAt(end) == '\\' ? 2 : 1;
            }
            end = Math.min(s.length(), end + 1);
        } else {
            while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
                end++;
            }
        }
        s.replace(start, end, value);
    }

    /** Random code points: controls, BMP letters, astral symbols, lone surrogates, specials. */
    public static String unicode(Random r, int n) {
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < n; k++) {
            switch (r.nextInt(6)) {
                case 0 -> out.append((char) r.nextInt(0x20));
                case 1 -> out.append((char) (0xd800 + r.nextInt(0x800))); // a lone surrogate
                case 2 -> out.appendCodePoint(0x10000 + r.nextInt(0xfffff));
                case 3 -> out.append("\u0000\u007f\u0085\u00a0\u2028\u2029\ufeff\ufffd\uffff".charAt(r.nextInt(9)));
                default -> out.appendCodePoint(0xa0 + r.nextInt(0xd000));
            }
        }
        return out.toString();
    }

    /** Random text: a mix of {@link #TOKENS}, printable ASCII and {@link #unicode}, up to {@code max} chars. */
    public static String randomText(Random r, int max) {
        StringBuilder s = new StringBuilder();
        int target = r.nextInt(max + 1);
        while (s.length() < target) {
            switch (r.nextInt(3)) {
                case 0 -> s.append(TOKENS.get(r.nextInt(TOKENS.size())));
                case 1 -> s.append((char) (0x20 + r.nextInt(0x5f)));
                default -> s.append(unicode(r, 1));
            }
        }
        return s.toString();
    }

    /** How one try ended. */
    public enum Outcome {
        ACCEPTED,
        REFUSED
    }

    /**
     * Runs {@code call} within {@link #TRY_TIMEOUT}. It may return (accepted) or throw one of
     * {@code documented} with a non-blank message (refused); anything else (another exception, an
     * error such as StackOverflowError, a blank message, a hang) fails with the input shown.
     */
    @SafeVarargs
    public static Outcome check(Object input, Callable<?> call, Class<? extends Throwable>... documented) {
        return check(TRY_TIMEOUT, input, call, documented);
    }

    /**
     * {@link #check(Object, Callable, Class[])} with another bound, for calls documented to wait.
     *
     * <p>A hang is a try that used more than {@code bound} of its thread's CPU time, or that has not
     * answered after {@link #wallLimit} (a call blocked without spinning, or waiting on a server). CPU
     * time rather than wall time: on a machine loaded far past its cores a sound parser can wait
     * many seconds for a core (three fuzz tests failed that way at load 33), while a parser that
     * loops keeps spinning whatever the load.
     */
    @SafeVarargs
    public static Outcome check(
            Duration bound, Object input, Callable<?> call, Class<? extends Throwable>... documented) {
        AtomicReference<long[]> started = new AtomicReference<>();
        Future<?> f = RUNNER[0].submit(() -> {
            started.set(new long[] {Thread.currentThread().getId(), THREADS.getCurrentThreadCpuTime()});
            return call.call();
        });
        long begun = System.nanoTime();
        Duration wall = wallLimit(bound);
        try {
            while (true) {
                try {
                    f.get(100, TimeUnit.MILLISECONDS);
                    return Outcome.ACCEPTED;
                } catch (TimeoutException e) {
                    long[] s = started.get();
                    long cpu = s == null ? 0 : Math.max(0, THREADS.getThreadCpuTime(s[0]) - s[1]);
                    long elapsed = System.nanoTime() - begun;
                    if (cpu > bound.toNanos() || elapsed > wall.toNanos()) {
                        f.cancel(true);
                        synchronized (RUNNER) {
                            RUNNER[0].shutdownNow();
                            RUNNER[0] = newRunner();
                        }
                        throw new AssertionError(String.format(
                                "no answer within %s of CPU time (%.1f s used) or %s of wall time (%.1f s waited) "
                                        + "for input %s",
                                bound, cpu / 1e9, wall, elapsed / 1e9, show(input)));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            for (Class<? extends Throwable> ok : documented) {
                if (ok.isInstance(t)) {
                    if (t.getMessage() == null || t.getMessage().isBlank()) {
                        throw new AssertionError(
                                t.getClass().getName() + " without a message for input " + show(input), t);
                    }
                    return Outcome.REFUSED;
                }
            }
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            String stack = trace.toString();
            throw new AssertionError(
                    "undocumented " + t.getClass().getName() + " for input " + show(input) + "\n"
                            + stack.substring(0, Math.min(stack.length(), 3000)),
                    t);
        }
    }

    /** How long a try may go unanswered whatever its CPU time: six times its bound, at least a minute. */
    static Duration wallLimit(Duration bound) {
        Duration six = bound.multipliedBy(6);
        return six.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : six;
    }

    /** An input for a failure message: Java-escaped, long ones cut in the middle. */
    public static String show(Object input) {
        String s = input instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(input);
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        String q = out.append('"').toString();
        return q.length() <= 1200
                ? q
                : q.substring(0, 600) + "...(" + q.length() + " chars)..." + q.substring(q.length() - 600);
    }

    private static ExecutorService newRunner() {
        return Executors.newSingleThreadExecutor(r -> {
            // a deep but not unlimited stack, as a server thread has: recursion bugs show as StackOverflowError
            Thread t = new Thread(null, r, "fuzz-try", 1 << 20);
            t.setDaemon(true);
            return t;
        });
    }
}

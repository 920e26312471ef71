package mig.common.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go duration strings ({@code time.ParseDuration}): a signed sequence of decimal numbers with units
 * {@code ns us µs ms s m h}, e.g. {@code 300s}, {@code 1.5h}, {@code 1h30m}. MIG's config files and
 * the client's {@code -e} flag use them.
 */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

    private GoDuration() {}

    /**
     * Parses a Go duration.
     *
     * @throws IllegalArgumentException saying what is wrong, e.g. a missing unit
     */
    public static Duration parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("invalid duration \"\"");
        }
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (pos < s.length()) {
            if (!m.find(pos)
                    || m.start() != pos
                    || m.group(1).isEmpty()
                    || m.group(1).equals(".")) {
                throw new IllegalArgumentException("invalid duration \"" + text
                        + "\" (expected numbers with units ns, us, ms, s, m or h, e.g. 300s or 1h30m)");
            }
            BigDecimal n = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(n.multiply(BigDecimal.valueOf(unit)));
            pos = m.end();
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\" (overflow)");
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return negative ? d.negated() : d;
    }

    /** Formats like Go's {@code Duration.String()}: {@code 1h30m0s}, {@code 2.5s}, {@code 82.302599ms}. */
    public static String format(Duration d) {
        long n = d.toNanos();
        if (n == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (n < 0) {
            sb.append('-');
            n = -n;
        }
        if (n < 1_000_000_000L) {
            if (n < 1_000L) {
                return sb.append(n).append("ns").toString();
            }
            if (n < 1_000_000L) {
                return sb.append(fraction(n, 1_000L)).append("µs").toString();
            }
            return sb.append(fraction(n, 1_000_000L)).append("ms").toString();
        }
        long hours = n / 3_600_000_000_000L;
        n %= 3_600_000_000_000L;
        long minutes = n / 60_000_000_000L;
        n %= 60_000_000_000L;
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            sb.append(minutes).append('m');
        }
        return sb.append(fraction(n, 1_000_000_000L)).append('s').toString();
    }

    private static String fraction(long value, long unit) {
        BigDecimal v = BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit));
        String s = v.stripTrailingZeros().toPlainString();
        return s;
    }
}

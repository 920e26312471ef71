package mig.modules.scribe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Epoch-version-release comparison, the original scribe library's Go port of rpm's
 * {@code rpmvercmp()} with its quirks kept: a version token of zeros only ({@code 1.00}) crashed
 * it with an index error (here the same panic text), the tokens compare numerically when both are
 * numbers and as strings otherwise.
 */
final class Evr {

    static final int LESS_THAN = 1;
    static final int GREATER_THAN = 2;
    static final int EQUALS = 3;
    static final int UNKNOWN = 4;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9]+");

    private Evr() {}

    static int operation(String s) {
        return switch (s) {
            case "<" -> LESS_THAN;
            case ">" -> GREATER_THAN;
            case "=" -> EQUALS;
            default -> UNKNOWN;
        };
    }

    private record Parts(String epoch, String version, String release) {}

    /** {@code evrExtract}; indexes mix runes and bytes as the original did. */
    private static Parts extract(String s) throws Engine.ScribeError {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int idx = 0;
        for (int off = 0; off < s.length(); ) {
            int c = s.codePointAt(off);
            if (!Character.isDigit(c)) {
                break;
            }
            idx++;
            off += Character.charCount(c);
        }
        if (idx >= b.length) {
            return new Parts("0", s, "");
        }
        String epoch;
        if (b[idx] == ':') {
            epoch = new String(b, 0, idx, StandardCharsets.UTF_8);
            idx++;
        } else {
            epoch = "0";
            idx = 0;
        }
        if (idx >= b.length) {
            throw new Engine.ScribeError("evrExtract: only epoch");
        }
        String remain = new String(b, idx, b.length - idx, StandardCharsets.UTF_8);
        int rp0 = remain.lastIndexOf('-');
        if (rp0 != -1) {
            if (rp0 + 1 >= remain.length()) {
                throw new Engine.ScribeError("evrExtract: ends in dash");
            }
            return new Parts(epoch, remain.substring(0, rp0), remain.substring(rp0 + 1));
        }
        return new Parts(epoch, remain, "");
    }

    static List<String> tokens(String s) {
        List<String> ret = new ArrayList<>();
        Matcher m = TOKEN.matcher(s);
        while (m.find()) {
            String x = m.group();
            StringBuilder cmp = new StringBuilder();
            boolean isnum = false;
            for (int i = 0; i < x.length(); i++) {
                char c = x.charAt(i);
                boolean digit = c >= '0' && c <= '9';
                if (cmp.length() == 0) {
                    isnum = digit;
                    cmp.append(c);
                } else if (isnum != digit) {
                    ret.add(cmp.toString());
                    cmp.setLength(0);
                    cmp.append(c);
                    isnum = digit;
                } else {
                    cmp.append(c);
                }
            }
            ret.add(cmp.toString());
        }
        return ret;
    }

    /** Go's strconv.Atoi on a token of ASCII letters and digits: null when it is not an int64. */
    private static Long atoi(String s) {
        if (s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String trimZeros(String s) {
        if (s.length() == 1 || atoi(s) == null) {
            return s;
        }
        int i = 0;
        while (i < s.length() && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }

    private static char first(String s) {
        if (s.isEmpty()) {
            throw new Engine.ScribePanic("runtime error: index out of range [0] with length 0");
        }
        return s.charAt(0);
    }

    static int verCmp(String actual, String check) {
        if (actual.equals(check)) {
            return 0;
        }
        List<String> act = tokens(actual);
        List<String> chk = tokens(check);
        for (int i = 0; i < chk.size(); i++) {
            if (i >= act.size()) {
                return 1;
            }
            String a = trimZeros(act.get(i));
            String c = trimZeros(chk.get(i));
            boolean ad = Character.isDigit(first(a));
            boolean cd = Character.isDigit(first(c));
            if (ad && !cd) {
                return -1;
            }
            if (cd && !ad) {
                return 1;
            }
            Long na = atoi(a);
            Long nc = atoi(c);
            if (na != null && nc != null) {
                int r = Long.compare(nc, na);
                if (r != 0) {
                    return r > 0 ? 1 : -1;
                }
                continue;
            }
            int r = c.compareTo(a);
            if (r > 0) {
                return 1;
            } else if (r < 0) {
                return -1;
            }
        }
        return act.size() > chk.size() ? -1 : 0;
    }

    private static int rpmCompare(Parts actual, Parts check) throws Engine.ScribeError {
        Long ae = goAtoi(actual.epoch());
        if (ae == null) {
            throw new Engine.ScribeError("evrRpmCompare: bad actual epoch");
        }
        Long ce = goAtoi(check.epoch());
        if (ce == null) {
            throw new Engine.ScribeError("evrRpmCompare: bad check epoch");
        }
        if (ce > ae) {
            return 1;
        } else if (ce < ae) {
            return -1;
        }
        int r = verCmp(actual.version(), check.version());
        if (r != 0) {
            return r;
        }
        return verCmp(actual.release(), check.release());
    }

    /** strconv.Atoi with its optional sign. */
    private static Long goAtoi(String s) {
        String t = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        Long v = atoi(t);
        if (v == null) {
            return null;
        }
        return s.startsWith("-") ? -v : v;
    }

    /** {@code evrCompare}: is {@code actual op check}? */
    static boolean compare(int op, String actual, String check) throws Engine.ScribeError {
        Parts a = extract(actual);
        Parts c = extract(check);
        int r = rpmCompare(a, c);
        return switch (op) {
            case EQUALS -> r == 0;
            case LESS_THAN -> r == 1;
            case GREATER_THAN -> r == -1;
            default -> throw new Engine.ScribeError("evrCompare: unknown operator");
        };
    }
}

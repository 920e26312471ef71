package mig.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import mig.common.cli.GoBool;

/**
 * Module command-line flags parsed the way Go's {@code flag} package parses them, so that
 * {@code mig netstat -lp 22 -lp=443 --namespaces} means what it meant to the original client:
 * {@code -f value}, {@code -f=value}, {@code --f}; booleans as {@code -f} or {@code -f=false};
 * {@code --} ends the flags; repeatable flags collect every value; {@code -h} and {@code -help}
 * (unless defined) ask for the help text, which is then the error's message.
 *
 * <p>One deliberate difference: Go stops at the first argument that is not a flag and the original
 * modules silently ignored it and everything after it ({@code -lp 22 80} searched port 22 only).
 * Here such an argument is an error naming it.
 *
 * <p>The one parameter-flag parser of the modules (netstat, memory, the file module's
 * {@code FileSearchParser} on top of it, and any new module's {@code HasParamsParser}), so it lives
 * beside the module SPI rather than in any module.
 *
 * <p>Why it is not picocli-backed like the mains' command lines ({@code mig.common.cli.GoCli}):
 * this grammar is not picocli's. Repeatable flags collect every value, a stray argument is an error
 * that names it, {@code -h} answers with the module's help as the error's message, and every
 * message is Go's with Go's {@code %q} quoting. On picocli each of these is an exception to
 * translate back, while Go's own {@code flag.parseOne} loop below is forty lines. Booleans use the
 * one {@link GoBool}.
 */
public final class GoFlags {

    private sealed interface Flag permits Strings, Bool, Number {}

    private static final class Strings implements Flag {
        private final List<String> values;
        private final ValueCheck check;

        Strings(List<String> values, ValueCheck check) {
            this.values = values;
            this.check = check;
        }
    }

    /** A check of one value of a flag, refusing it with a message naming the flag. */
    @FunctionalInterface
    public interface ValueCheck {
        void check(String value) throws ParameterException;
    }

    private static final class Bool implements Flag {
        private boolean value;

        Bool(boolean value) {
            this.value = value;
        }
    }

    private static final class Number implements Flag {
        private double value;

        Number(double value) {
            this.value = value;
        }
    }

    private static final Pattern DECIMAL = Pattern.compile("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?");
    private static final Pattern HEX = Pattern.compile("0x([0-9a-f]+\\.?[0-9a-f]*|\\.[0-9a-f]+)p[+-]?[0-9]+");

    private final Map<String, Flag> flags = new LinkedHashMap<>();
    private final Map<String, String> refused = new LinkedHashMap<>();
    private final String help;
    private String strayHint;
    private boolean boolHint = true;

    /** @param help the module's help text, the error for {@code -h} or {@code -help} as in Go */
    public GoFlags(String help) {
        this.help = help;
    }

    /** A repeatable string flag ({@code -name a -name b}). */
    public GoFlags repeatable(String name) {
        flags.put(name, new Strings(new ArrayList<>(), null));
        return this;
    }

    /**
     * A repeatable flag whose values, once {@code check} accepts them, join those of the repeatable
     * flag {@code into} in command-line order ({@code -sha256 x} as {@code -sha2 x}).
     */
    public GoFlags repeatable(String name, String into, ValueCheck check) {
        flags.put(name, new Strings(((Strings) flags.get(into)).values, check));
        return this;
    }

    /** A boolean flag with its default. */
    public GoFlags bool(String name, boolean defaultValue) {
        flags.put(name, new Bool(defaultValue));
        return this;
    }

    /** A number flag (Go {@code Float64Var}), default 0. */
    public GoFlags number(String name) {
        return number(name, 0);
    }

    /** A number flag (Go {@code Float64Var}) with its default. */
    public GoFlags number(String name, double defaultValue) {
        flags.put(name, new Number(defaultValue));
        return this;
    }

    /**
     * What the error for a stray argument says after {@code unexpected argument 'x': }; by default
     * {@code module options are flags such as -<first flag> <value>; see help}.
     */
    public GoFlags strayHint(String hint) {
        this.strayHint = hint;
        return this;
    }

    /** Refuse a bad boolean with Go's message alone, without the {@code (use -x or -x=false)} hint. */
    public GoFlags plainBoolErrors() {
        this.boolHint = false;
        return this;
    }

    /** A flag name that is refused with {@code reason} (e.g. a flag the original misnamed). */
    public GoFlags refuse(String name, String reason) {
        refused.put(name, reason);
        return this;
    }

    /**
     * Parses {@code args}.
     *
     * @throws ParameterException with Go's message for an unknown flag, a missing or bad value, or
     *         naming a stray argument
     */
    public GoFlags parse(List<String> args) throws ParameterException {
        int i = 0;
        while (i < args.size()) {
            String s = args.get(i);
            if (s.length() < 2 || s.charAt(0) != '-') {
                throw new ParameterException("unexpected argument '" + s + "': "
                        + (strayHint != null
                                ? strayHint
                                : "module options are flags such as -"
                                        + flags.keySet().iterator().next() + " <value>; see help"));
            }
            int dashes = s.charAt(1) == '-' ? 2 : 1;
            if (dashes == 2 && s.length() == 2) {
                i++;
                if (i < args.size()) {
                    throw new ParameterException("unexpected argument '" + args.get(i) + "' after --");
                }
                break;
            }
            String name = s.substring(dashes);
            if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
                throw new ParameterException("bad flag syntax: " + s);
            }
            i++;
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (refused.containsKey(name)) {
                throw new ParameterException("flag -" + name + " is not accepted: " + refused.get(name));
            }
            Flag flag = flags.get(name);
            if (flag == null && (name.equals("h") || name.equals("help"))) {
                throw new ParameterException(help);
            }
            if (flag == null) {
                throw new ParameterException("flag provided but not defined: -" + name);
            }
            if (flag instanceof Bool b) {
                b.value = value == null || parseBool(value, name);
                continue;
            }
            if (value == null) {
                if (i >= args.size()) {
                    throw new ParameterException("flag needs an argument: -" + name);
                }
                value = args.get(i++);
            }
            if (flag instanceof Strings st) {
                if (st.check != null) {
                    st.check.check(value);
                }
                st.values.add(value);
            } else if (flag instanceof Number n) {
                n.value = parseNumber(value, name);
            }
        }
        return this;
    }

    /** Every value given to a repeatable flag, in order. */
    public List<String> valuesOf(String name) {
        return List.copyOf(((Strings) flags.get(name)).values);
    }

    /**
     * A Go {@code StringVar} flag given as {@link #repeatable}: the last value given, as Go keeps,
     * or {@code defaultValue} when the flag was not given.
     */
    public String lastOf(String name, String defaultValue) {
        List<String> v = ((Strings) flags.get(name)).values;
        return v.isEmpty() ? defaultValue : v.get(v.size() - 1);
    }

    /** A boolean flag's value. */
    public boolean boolOf(String name) {
        return ((Bool) flags.get(name)).value;
    }

    /** A number flag's value. */
    public double numberOf(String name) {
        return ((Number) flags.get(name)).value;
    }

    private boolean parseBool(String v, String name) throws ParameterException {
        try {
            return GoBool.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ParameterException("invalid boolean value " + quote(v) + " for -" + name + ": parse error"
                    + (boolHint ? " (use -" + name + " or -" + name + "=false)" : ""));
        }
    }

    /** Go's {@code strconv.ParseFloat(v, 64)} for the forms people type: decimal, hex with p exponent, inf, nan. */
    private static double parseNumber(String v, String name) throws ParameterException {
        String lower = v.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        if (!DECIMAL.matcher(unsigned).matches() && !HEX.matcher(unsigned).matches()) {
            throw new ParameterException("invalid value " + quote(v) + " for flag -" + name + ": parse error");
        }
        double d = Double.parseDouble(v);
        if (Double.isInfinite(d)) {
            throw new ParameterException("invalid value " + quote(v) + " for flag -" + name + ": value out of range");
        }
        return d;
    }

    /** Go's {@code %q} for the plain strings flag errors quote: backslash escapes, no Unicode escapes for printable text. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}

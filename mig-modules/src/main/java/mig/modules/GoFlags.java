package mig.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
 * <p>Shared by the netstat and memory modules' {@code HasParamsParser}, so it lives beside the
 * module SPI rather than in either module.
 */
public final class GoFlags {

    private sealed interface Flag permits Strings, Bool, Number {
    }

    private static final class Strings implements Flag {
        private final List<String> values = new ArrayList<>();
    }

    private static final class Bool implements Flag {
        private boolean value;

        Bool(boolean value) {
            this.value = value;
        }
    }

    private static final class Number implements Flag {
        private double value;
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private final Map<String, Flag> flags = new LinkedHashMap<>();
    private final Map<String, String> refused = new LinkedHashMap<>();
    private final String help;

    /** @param help the module's help text, the error for {@code -h} or {@code -help} as in Go */
    public GoFlags(String help) {
        this.help = help;
    }

    /** A repeatable string flag ({@code -name a -name b}). */
    public GoFlags repeatable(String name) {
        flags.put(name, new Strings());
        return this;
    }

    /** A boolean flag with its default. */
    public GoFlags bool(String name, boolean defaultValue) {
        flags.put(name, new Bool(defaultValue));
        return this;
    }

    /** A number flag (Go {@code Float64Var}), default 0. */
    public GoFlags number(String name) {
        flags.put(name, new Number());
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
                throw new ParameterException("unexpected argument '" + s + "': module options are flags such as "
                        + "-" + flags.keySet().iterator().next() + " <value>; see help");
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

    private static boolean parseBool(String v, String name) throws ParameterException {
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new ParameterException("invalid boolean value \"" + v + "\" for -" + name
                    + ": parse error (use -" + name + " or -" + name + "=false)");
        };
    }

    private static double parseNumber(String v, String name) throws ParameterException {
        if (!DECIMAL.matcher(v).matches()) {
            throw new ParameterException("invalid value \"" + v + "\" for flag -" + name + ": parse error");
        }
        return Double.parseDouble(v);
    }
}

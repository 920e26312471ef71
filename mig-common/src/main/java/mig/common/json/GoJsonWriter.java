package mig.common.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writer behind {@link GoJson#marshal}: Go's {@code encoding/json} output rules.
 *
 * <ul>
 *   <li>Records are Go structs: components in declaration order, named by {@link JsonProperty},
 *       left out when {@link OmitEmpty} and empty. Records and times are never empty.</li>
 *   <li>{@link Map}s and generic {@link JsonNode} objects are Go maps: keys sorted byte-wise (UTF-8
 *       order, which is code-point order).</li>
 *   <li>Numbers inside generic trees are Go {@code float64}: shortest round-trip digits, plain
 *       between 1e-6 and 1e21, exponent form ({@code 1e+21}, {@code 1.5e-7}) outside.</li>
 *   <li>Strings escape {@code < > &} and U+2028/U+2029 as six-character unicode escapes with lowercase
 *       hex, control characters as backslash-n/r/t or a unicode escape, lone surrogates as U+FFFD.</li>
 * </ul>
 */
final class GoJsonWriter {

    private static final Map<Class<?>, Field[]> FIELDS = new ConcurrentHashMap<>();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final Comparator<String> BYTEWISE = GoJsonWriter::compareCodePoints;

    static void write(StringBuilder out, Object value) {
        new GoJsonWriter(true).value(out, value);
    }

    /** Like {@link #write}, but generic objects keep their insertion order (a client's own structs). */
    static void writeInOrder(StringBuilder out, Object value) {
        new GoJsonWriter(false).value(out, value);
    }

    private final boolean sortGenericKeys;

    private GoJsonWriter(boolean sortGenericKeys) {
        this.sortGenericKeys = sortGenericKeys;
    }

    private void value(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Number n) {
            out.append(formatFloat(n.doubleValue()));
        } else if (value instanceof Instant t) {
            out.append('"').append(GoTime.format(t)).append('"');
        } else if (value instanceof JsonNode node) {
            node(out, node);
        } else if (value instanceof Optional<?> opt) {
            value(out, opt.orElse(null));
        } else if (value instanceof Map<?, ?> map) {
            map(out, map);
        } else if (value instanceof byte[] bytes) {
            out.append('"').append(Base64.getEncoder().encodeToString(bytes)).append('"');
        } else if (value instanceof Collection<?> c) {
            array(out, c.iterator());
        } else if (value instanceof Object[] arr) {
            array(out, List.of(arr).iterator());
        } else if (value instanceof Enum<?> e) {
            string(out, e.toString());
        } else if (value.getClass().isRecord()) {
            record(out, value);
        } else {
            throw new GoJsonException("cannot marshal " + value.getClass().getName() + " as JSON");
        }
    }

    private void array(StringBuilder out, Iterator<?> it) {
        out.append('[');
        boolean first = true;
        while (it.hasNext()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            value(out, it.next());
        }
        out.append(']');
    }

    private void map(StringBuilder out, Map<?, ?> map) {
        List<String> keys = new ArrayList<>(map.size());
        for (Object k : map.keySet()) {
            keys.add(String.valueOf(k));
        }
        keys.sort(BYTEWISE);
        out.append('{');
        boolean first = true;
        for (String k : keys) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, k);
            out.append(':');
            Object v = map.containsKey(k) ? map.get(k) : lookupNonString(map, k);
            value(out, v);
        }
        out.append('}');
    }

    private static Object lookupNonString(Map<?, ?> map, String key) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (String.valueOf(e.getKey()).equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private void node(StringBuilder out, JsonNode node) {
        switch (node.getNodeType()) {
            case NULL, MISSING -> out.append("null");
            case BOOLEAN -> out.append(node.booleanValue());
            case STRING -> string(out, node.textValue());
            case NUMBER -> out.append(formatFloat(node.doubleValue()));
            case BINARY ->
                out.append('"')
                        .append(Base64.getEncoder().encodeToString(binary(node)))
                        .append('"');
            case ARRAY -> array(out, node.elements());
            case OBJECT -> {
                List<String> keys = new ArrayList<>(node.size());
                node.fieldNames().forEachRemaining(keys::add);
                if (sortGenericKeys) {
                    keys.sort(BYTEWISE);
                }
                out.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(out, keys.get(i));
                    out.append(':');
                    node(out, node.get(keys.get(i)));
                }
                out.append('}');
            }
            case POJO -> value(out, ((com.fasterxml.jackson.databind.node.POJONode) node).getPojo());
        }
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (java.io.IOException e) {
            throw new GoJsonException("unreadable binary node", e);
        }
    }

    private void record(StringBuilder out, Object rec) {
        Field[] fields = FIELDS.computeIfAbsent(rec.getClass(), GoJsonWriter::fieldsOf);
        out.append('{');
        boolean first = true;
        for (Field f : fields) {
            Object v;
            try {
                v = f.accessor.invoke(rec);
            } catch (Throwable t) {
                throw new GoJsonException("cannot read " + rec.getClass().getSimpleName() + "." + f.name, t);
            }
            if (f.omitEmpty && isEmpty(v)) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, f.name);
            out.append(':');
            value(out, v);
        }
        out.append('}');
    }

    private static boolean isEmpty(Object v) {
        if (v == null) {
            return true;
        }
        if (v instanceof String s) {
            return s.isEmpty();
        }
        if (v instanceof Boolean b) {
            return !b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() == 0;
        }
        if (v instanceof Collection<?> c) {
            return c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return m.isEmpty();
        }
        if (v instanceof byte[] b) {
            return b.length == 0;
        }
        if (v instanceof Optional<?> o) {
            return o.isEmpty();
        }
        if (v instanceof JsonNode n) {
            return n.isNull() || n.isMissingNode();
        }
        return false;
    }

    private record Field(String name, boolean omitEmpty, MethodHandle accessor) {}

    private static Field[] fieldsOf(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        Field[] fields = new Field[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            // @JsonProperty cannot target record components; Java copies it to the accessor.
            JsonProperty prop = rc.getAccessor().getAnnotation(JsonProperty.class);
            String name = prop != null && !prop.value().isEmpty() ? prop.value() : rc.getName();
            boolean omit = rc.isAnnotationPresent(OmitEmpty.class);
            try {
                var accessor = rc.getAccessor();
                accessor.setAccessible(true);
                fields[i] = new Field(name, omit, MethodHandles.lookup().unreflect(accessor));
            } catch (IllegalAccessException | RuntimeException e) {
                throw new GoJsonException("record " + type.getName() + " is not accessible for JSON: " + e, e);
            }
        }
        return fields;
    }

    /** Go's {@code encoding/json} float64 formatting. */
    static String formatFloat(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new GoJsonException("json: unsupported value: " + d);
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal shortest = shortest(d);
        double abs = Math.abs(d);
        if (abs < 1e-6 || abs >= 1e21) {
            BigDecimal unscaled = new BigDecimal(shortest.unscaledValue());
            String digits = shortest.unscaledValue().abs().toString();
            int exponent = digits.length() - 1 - shortest.scale();
            StringBuilder sb = new StringBuilder();
            if (unscaled.signum() < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            String rest = stripTrailingZeros(digits.substring(1));
            if (!rest.isEmpty()) {
                sb.append('.').append(rest);
            }
            sb.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
            return sb.toString();
        }
        return shortest.stripTrailingZeros().toPlainString();
    }

    private static String stripTrailingZeros(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '0') {
            end--;
        }
        return s.substring(0, end);
    }

    private static BigDecimal shortest(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int p = 1; p < 17; p++) {
            BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                return candidate;
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }

    static void string(StringBuilder out, String s) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(out, c);
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            out.append("\\ufffd");
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        out.append("\\ufffd");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}

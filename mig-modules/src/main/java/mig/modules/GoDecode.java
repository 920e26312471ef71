package mig.modules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads module parameters the way the original's {@code modules.ReadInputParameters} did with Go's
 * {@code encoding/json}: unknown fields ignored, {@code null} leaves the zero value, and a value of
 * the wrong JSON type refused with Go's message ({@code ReadInputParameters() -> json: cannot
 * unmarshal number into Go struct field Parameters.vermatch of type string}), so a bad parameter
 * reads the same on either agent.
 */
public final class GoDecode {

    private static final String PREFIX = "ReadInputParameters() -> json: cannot unmarshal ";

    private GoDecode() {}

    /** Go's name of a JSON value's kind, as in its {@code UnmarshalTypeError}. */
    static String kind(JsonNode n) {
        if (n.isTextual()) {
            return "string";
        }
        if (n.isNumber()) {
            return "number";
        }
        if (n.isBoolean()) {
            return "bool";
        }
        if (n.isArray()) {
            return "array";
        }
        return "object";
    }

    /** The top-level value must be an object (Go struct {@code goType}, e.g. {@code pkg.Parameters}). */
    public static JsonNode object(JsonNode n, String goType) throws ParameterException {
        if (n == null || n.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            throw new ParameterException(PREFIX + kind(n) + " into Go value of type " + goType);
        }
        return n;
    }

    /** A struct field holding a struct: {@code field} is Go's path, e.g. {@code Parameters.pkgmatch}. */
    public static JsonNode struct(JsonNode parent, String key, String field, String goType) throws ParameterException {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            throw new ParameterException(PREFIX + kind(n) + " into Go struct field " + field + " of type " + goType);
        }
        return n;
    }

    /** A string field; absent or null is {@code ""}. */
    public static String string(JsonNode parent, String key, String field) throws ParameterException {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return "";
        }
        if (!n.isTextual()) {
            throw new ParameterException(PREFIX + kind(n) + " into Go struct field " + field + " of type string");
        }
        return n.asText();
    }

    /** A boolean field; absent or null is false. */
    public static boolean bool(JsonNode parent, String key, String field) throws ParameterException {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new ParameterException(PREFIX + kind(n) + " into Go struct field " + field + " of type bool");
        }
        return n.asBoolean();
    }

    /**
     * A Go {@code float64} field; absent or null is 0.
     */
    public static double number(JsonNode parent, String key, String field) throws ParameterException {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isNumber()) {
            throw new ParameterException(PREFIX + kind(n) + " into Go struct field " + field + " of type float64");
        }
        return n.asDouble();
    }

    /**
     * A Go {@code int} field; absent or null is 0. The original's agent had the parameters as
     * float64 before decoding them, so a fraction or a value past int64 is named as Go writes that
     * float64 ({@code cannot unmarshal number 1e+300 into Go struct field Parameters.pid of type int}).
     */
    public static long integer(JsonNode parent, String key, String field) throws ParameterException {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isNumber()) {
            throw new ParameterException(PREFIX + kind(n) + " into Go struct field " + field + " of type int");
        }
        double d = n.asDouble();
        if (d != Math.rint(d) || d >= 0x1p63 || d < -0x1p63) {
            String literal = mig.common.json.GoJson.marshal(
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.numberNode(d));
            throw new ParameterException(
                    PREFIX + "number " + literal + " into Go struct field " + field + " of type int");
        }
        return (long) d;
    }

    /** A {@code []string} field; absent or null is empty. */
    public static List<String> strings(JsonNode parent, String key, String field) throws ParameterException {
        JsonNode n = parent.get(key);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new ParameterException(PREFIX + kind(n) + " into Go struct field " + field + " of type []string");
        }
        for (JsonNode e : n) {
            if (e.isNull()) {
                out.add("");
            } else if (!e.isTextual()) {
                throw new ParameterException(PREFIX + kind(e) + " into Go struct field " + field + " of type string");
            } else {
                out.add(e.asText());
            }
        }
        return out;
    }
}

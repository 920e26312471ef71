package mig.modules.scribe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import mig.modules.ParameterException;

/**
 * Decoding JSON into the scribe document's structs the way Go's {@code encoding/json} does: keys in
 * document order, matched case-insensitively, unknown ones ignored, {@code null} leaving the zero
 * value, the first wrong type refused with Go's message naming the innermost struct and the JSON path
 * ({@code json: cannot unmarshal number into Go struct field Object.objects.object of type string}).
 */
final class GoStruct {

    /** What a decode error message starts with: {@code json: } for a file, the agent's prefix for parameters. */
    private final String prefix;

    GoStruct(String prefix) {
        this.prefix = prefix;
    }

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

    ParameterException typeError(JsonNode n, String struct, String path, String goType) {
        String where = struct == null ? "Go value" : "Go struct field " + struct + "." + path;
        return new ParameterException(prefix + "cannot unmarshal " + kind(n) + " into " + where + " of type " + goType);
    }

    /** A field reader: the key it answers to and what to do with the value. */
    interface Field {
        void read(JsonNode value) throws ParameterException;
    }

    /**
     * Reads {@code obj}'s fields in document order; {@code fields} maps lower-case keys to readers.
     * The caller has checked that obj is an object.
     */
    static void fields(JsonNode obj, Map<String, Field> fields) throws ParameterException {
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Field f = fields.get(e.getKey().toLowerCase(java.util.Locale.ROOT));
            if (f != null && !e.getValue().isNull()) {
                f.read(e.getValue());
            }
        }
    }

    String string(JsonNode n, String struct, String path) throws ParameterException {
        if (!n.isTextual()) {
            throw typeError(n, struct, path, "string");
        }
        return n.asText();
    }

    boolean bool(JsonNode n, String struct, String path) throws ParameterException {
        if (!n.isBoolean()) {
            throw typeError(n, struct, path, "bool");
        }
        return n.asBoolean();
    }

    List<String> strings(JsonNode n, String struct, String path) throws ParameterException {
        if (!n.isArray()) {
            throw typeError(n, struct, path, "[]string");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            out.add(e.isNull() ? "" : string(e, struct, path));
        }
        return out;
    }

    /** Decodes a {@code []T} of structs: each element is read by {@code element} into a fresh T. */
    <T> List<T> structs(
            JsonNode n,
            String struct,
            String path,
            String goType,
            java.util.function.Supplier<T> zero,
            BiConsumerEx<JsonNode, T> element)
            throws ParameterException {
        if (!n.isArray()) {
            throw typeError(n, struct, path, "[]" + goType);
        }
        List<T> out = new ArrayList<>();
        for (JsonNode e : n) {
            T t = zero.get();
            if (!e.isNull()) {
                if (!e.isObject()) {
                    throw typeError(e, struct, path, goType);
                }
                element.accept(e, t);
            }
            out.add(t);
        }
        return out;
    }

    /** A struct-valued field: must be an object. */
    void struct(JsonNode n, String struct, String path, String goType) throws ParameterException {
        if (!n.isObject()) {
            throw typeError(n, struct, path, goType);
        }
    }

    @FunctionalInterface
    interface BiConsumerEx<A, B> {
        void accept(A a, B b) throws ParameterException;
    }
}

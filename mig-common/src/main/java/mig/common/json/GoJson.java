package mig.common.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.time.Instant;

/**
 * JSON exactly as MIG's Go code reads and writes it.
 *
 * <p>Writing goes through {@link GoJsonWriter}, which reproduces Go's {@code encoding/json}: struct
 * fields (our record components) in declaration order with {@code omitempty} rules, map and generic
 * object keys sorted byte-wise, numbers of generic values as float64, HTML-safe string escaping and
 * RFC 3339 times with trimmed nanoseconds. Everything that is signed, verified or sent on the wire
 * is written here, so the signed string and the API bodies cannot drift apart.
 *
 * <p>Reading uses Jackson configured like Go's decoder: keys match case-insensitively, unknown keys
 * are ignored, {@code null} leaves the zero value, and times accept any RFC 3339 offset. Malformed
 * input raises {@link GoJsonException} with Jackson's location-bearing message.
 */
public final class GoJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .addModule(new SimpleModule("mig-go-time").addDeserializer(Instant.class, new GoTime.Deserializer()))
            // Go never converts between JSON types: 42 is not a string, "42" is not a number
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(
                    LogicalType.Textual,
                    c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private GoJson() {}

    /** The shared reader, configured like Go's decoder. Thread-safe; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Go {@code json.Marshal} of a record, map, list, {@link JsonNode} or scalar. */
    public static String marshal(Object value) {
        StringBuilder out = new StringBuilder(256);
        GoJsonWriter.write(out, value);
        return out.toString();
    }

    /**
     * Like {@link #marshal}, but generic JSON objects keep their insertion order, as a Go client
     * marshals its own parameter structs (e.g. {@code mig file -p}). Never use it for signing.
     */
    public static String marshalInOrder(Object value) {
        StringBuilder out = new StringBuilder(256);
        GoJsonWriter.writeInOrder(out, value);
        return out.toString();
    }

    /**
     * Go's {@code json.Indent} of compact JSON: one element per line, {@code ": "} after keys,
     * empty objects and arrays kept as {@code {}} and {@code []}.
     */
    public static String indent(String compact, String indent) {
        StringBuilder out = new StringBuilder(compact.length() * 2);
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < compact.length(); i++) {
            char c = compact.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(compact.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    out.append(c);
                }
                case '{', '[' -> {
                    char close = c == '{' ? '}' : ']';
                    if (i + 1 < compact.length() && compact.charAt(i + 1) == close) {
                        out.append(c).append(close);
                        i++;
                    } else {
                        depth++;
                        out.append(c).append('\n').append(indent.repeat(depth));
                    }
                }
                case '}', ']' -> {
                    depth--;
                    out.append('\n').append(indent.repeat(depth)).append(c);
                }
                case ',' -> out.append(",\n").append(indent.repeat(depth));
                case ':' -> out.append(": ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Go {@code json.Marshal} as UTF-8 bytes. */
    public static byte[] marshalBytes(Object value) {
        return marshal(value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Decodes JSON text into {@code type}, Go-style. */
    public static <T> T unmarshal(String json, Class<T> type) {
        try {
            return notNull(MAPPER.readValue(json, type), type);
        } catch (JsonProcessingException e) {
            throw new GoJsonException(
                    "invalid " + type.getSimpleName() + " JSON: " + e.getOriginalMessage() + location(e), e);
        }
    }

    /** Decodes JSON bytes into {@code type}, Go-style. */
    public static <T> T unmarshal(byte[] json, Class<T> type) {
        try {
            return notNull(MAPPER.readValue(json, type), type);
        } catch (java.io.IOException e) {
            throw new GoJsonException("invalid " + type.getSimpleName() + " JSON: " + message(e), e);
        }
    }

    /** Decodes JSON text into a generic type. */
    public static <T> T unmarshal(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new GoJsonException("invalid JSON: " + e.getOriginalMessage() + location(e), e);
        }
    }

    /** Parses JSON text into a generic tree (Go's {@code interface{}}). */
    public static JsonNode tree(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new GoJsonException("invalid JSON: empty input");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new GoJsonException("invalid JSON: " + e.getOriginalMessage() + location(e), e);
        }
    }

    /** Converts a value to a generic tree the way a Go marshal/unmarshal round trip would. */
    public static JsonNode toTree(Object value) {
        return tree(marshal(value));
    }

    /** A bare {@code null} document is not a record: callers never get null back. */
    private static <T> T notNull(T value, Class<T> type) {
        if (value == null) {
            throw new GoJsonException("invalid " + type.getSimpleName() + " JSON: expected an object, got null");
        }
        return value;
    }

    private static String message(java.io.IOException e) {
        if (e instanceof JsonProcessingException jpe) {
            return jpe.getOriginalMessage() + location(jpe);
        }
        return e.getMessage();
    }

    private static String location(JsonProcessingException e) {
        var loc = e.getLocation();
        return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }
}

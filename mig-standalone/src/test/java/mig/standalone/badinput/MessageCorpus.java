package mig.standalone.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Generators of malformed AMQP message bodies from a valid one: bodies that are not JSON at all,
 * the valid body cut short (closed again with a brace where the reader checks for one), every
 * listed field set to values of the wrong JSON type, nesting past any parser's limit, and
 * oversized bodies.
 */
final class MessageCorpus {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message: its family (for the summary), what is wrong with it, its bytes. */
    record BadMessage(String family, String what, byte[] body) {

        static BadMessage of(String family, String what, String text) {
            return new BadMessage(family, what, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private MessageCorpus() {}

    /** Bodies that are not a JSON object of any use. */
    static List<BadMessage> notJson(String family) {
        List<BadMessage> out = new ArrayList<>();
        String[][] bodies = {
            {"empty", ""},
            {"one letter", "x"},
            {"an empty object", "{}"},
            {"ten spaces", " ".repeat(10)},
            {"null, padded", "null      "},
            {"an array", "[1,2,3,4,5,6,7,8]"},
            {"a string", "\"0123456789\""},
            {"braces around garbage", "{ this is not json at all }"},
            {"an object then garbage", "{\"a\":1} xyz}"},
            {"single quotes", "{'id':1,'status':'success'}"},
            {"10,000 nested arrays", "{\"a\":" + "[".repeat(10_000) + "}"},
        };
        for (String[] b : bodies) {
            out.add(BadMessage.of(family, b[0], b[1]));
        }
        out.add(new BadMessage(family, "bytes that are not UTF-8", new byte[] {
            '{', '"', 'i', 'd', '"', ':', '"', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '"', '}'
        }));
        out.add(new BadMessage(family, "NUL bytes", new byte[] {'{', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '}'}));
        return out;
    }

    /**
     * The valid body cut at {@code points} places, each closed with a brace. A cut that lands right
     * after a whole member gives a well-formed object with fewer fields, which is not malformed
     * input (a receiver may rightly take it): such cuts are moved on by one byte.
     */
    static List<BadMessage> truncated(String family, String valid, int points) {
        List<BadMessage> out = new ArrayList<>();
        for (int i = 1; i < points; i++) {
            int at = valid.length() * i / points;
            while (at < valid.length() - 1 && isJson(valid.substring(0, at) + "}")) {
                at++;
            }
            out.add(BadMessage.of(family, "cut at byte " + at + ", closed with }", valid.substring(0, at) + "}"));
        }
        return out;
    }

    private static boolean isJson(String text) {
        try {
            JSON.readTree(text);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Each field (a JSON pointer to an object, then a key) set to each of the wrong values. */
    static List<BadMessage> wrongTypes(String family, String valid, Map<String, List<String>> fields) throws Exception {
        List<BadMessage> out = new ArrayList<>();
        ObjectNode base = (ObjectNode) JSON.readTree(valid);
        for (var e : fields.entrySet()) {
            int slash = e.getKey().lastIndexOf('/');
            String parentPointer = e.getKey().substring(0, slash);
            String key = e.getKey().substring(slash + 1);
            for (String v : e.getValue()) {
                ObjectNode copy = base.deepCopy();
                JsonNode parent = parentPointer.isEmpty() ? copy : copy.at(parentPointer);
                if (!(parent instanceof ObjectNode obj)) {
                    throw new IllegalArgumentException("no object at " + parentPointer + " in " + valid);
                }
                obj.set(key, JSON.readTree(v));
                out.add(BadMessage.of(family, e.getKey() + " = " + v, copy.toString()));
            }
        }
        return out;
    }

    /** A JSON object of about {@code megabytes} MB: one huge string field. */
    static BadMessage huge(String family, int megabytes, String prefix) {
        return BadMessage.of(
                family, megabytes + " MB", prefix + "\"padding\":\"" + "p".repeat(megabytes << 20) + "\"}");
    }

    /** The usual wrong values for a string, a number, a time, an object and an array. */
    static final List<String> NOT_STRING = List.of("42", "true", "[]", "{}");

    static final List<String> NOT_NUMBER = List.of("\"x\"", "true", "[]", "{}", "1.5", "1e400");
    static final List<String> NOT_TIME = List.of("\"yesterday\"", "42", "[]", "\"2020-13-45T00:00:00Z\"");
    static final List<String> NOT_OBJECT = List.of("\"x\"", "42", "true", "[]");
    static final List<String> NOT_ARRAY = List.of("\"x\"", "42", "true", "{}");
}

package mig.standalone.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Generated malformed agent heartbeats ({@code POST /api/v1/heartbeat}, no authentication): every
 * required field missing in turn, each field with a value of the wrong JSON type, the original's
 * sanity rules broken (expired, bad mode, overlong name, version or queueloc, bad pid), and bodies
 * that are not a JSON object at all. Every one names the queueloc and pid of an agent already
 * online, so a heartbeat wrongly accepted would change its row.
 */
final class HeartbeatCorpus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/api/v1/heartbeat";

    private final String valid;

    /** @param valid the JSON of a heartbeat the API accepts (the real agent's body) */
    HeartbeatCorpus(String valid) {
        this.valid = valid;
    }

    List<BadRequest> all() throws Exception {
        List<BadRequest> out = new ArrayList<>();
        ObjectNode base = (ObjectNode) JSON.readTree(valid);
        String missing = "heartbeat field missing or empty";
        for (String field : new String[] {"name", "mode", "version", "queueLoc", "pid"}) {
            ObjectNode hb = base.deepCopy();
            hb.remove(field);
            out.add(post(missing, "no " + field, hb.toString()));
            ObjectNode empty = base.deepCopy();
            empty.set(field, field.equals("pid") ? JSON.readTree("0") : JSON.readTree("\"\""));
            out.add(post(missing, "empty " + field, empty.toString()));
        }
        for (String field : new String[] {"init", "ident", "os", "arch", "publicIP"}) {
            ObjectNode hb = base.deepCopy();
            ((ObjectNode) hb.get("environment")).remove(field);
            out.add(post(missing, "no environment." + field, hb.toString()));
        }
        ObjectNode noEnv = base.deepCopy();
        noEnv.remove("environment");
        out.add(post(missing, "no environment", noEnv.toString()));

        String types = "heartbeat field of the wrong JSON type";
        Map<String, String[]> wrong = Map.of(
                "name", new String[] {"42", "true", "[]", "{}"},
                "mode", new String[] {"1", "[\"daemon\"]"},
                "pid", new String[] {"\"123\"", "1.5", "true", "[]", "1e400"},
                "startTime", new String[] {"\"yesterday\"", "42", "\"2020-13-45T00:00:00Z\""},
                "refreshTime", new String[] {"\"soon\"", "{}"},
                "environment", new String[] {"\"linux\"", "42", "[]"},
                "tags", new String[] {"\"x\"", "[1]", "{\"a\":\"b\"}", "42"},
                "queueLoc", new String[] {"42", "{}"});
        for (var e : wrong.entrySet()) {
            for (String v : e.getValue()) {
                ObjectNode hb = base.deepCopy();
                hb.set(e.getKey(), JSON.readTree(v));
                out.add(post(types, e.getKey() + " = " + v, hb.toString()));
            }
        }
        ObjectNode addresses = base.deepCopy();
        ((ObjectNode) addresses.get("environment")).put("addresses", "10.0.0.1");
        out.add(post(types, "environment.addresses = \"10.0.0.1\"", addresses.toString()));

        String rules = "heartbeat breaking the original's rules";
        out.add(post(
                rules,
                "sent 6 minutes ago",
                with(
                        base,
                        "startTime",
                        JSON.valueToTree(Instant.now().minusSeconds(360).toString()))));
        out.add(post(rules, "startTime at year 1", with(base, "startTime", JSON.valueToTree("0001-01-01T00:00:00Z"))));
        out.add(post(rules, "mode 'server'", with(base, "mode", JSON.valueToTree("server"))));
        out.add(post(rules, "a name of 1025 characters", with(base, "name", JSON.valueToTree("n".repeat(1025)))));
        out.add(post(rules, "a version of 129 characters", with(base, "version", JSON.valueToTree("v".repeat(129)))));
        out.add(post(
                rules,
                "a queueLoc of 2049 characters",
                with(base, "queueLoc", JSON.valueToTree("linux." + "q".repeat(2043)))));
        out.add(post(rules, "pid -1", with(base, "pid", JSON.valueToTree(-1))));
        out.add(post(rules, "pid 2^31", with(base, "pid", JSON.valueToTree(1L << 31))));

        String shapes = "heartbeat that is not a JSON object";
        String[][] bodies = {
            {"an empty body", ""},
            {"null", "null"},
            {"an array", "[]"},
            {"a string", "\"hello\""},
            {"a number", "42"},
            {"an empty object", "{}"},
            {"an unclosed object", "{"},
            {"two objects", valid + valid},
            {"trailing garbage", valid + "xyz"},
            {"10,000 nested arrays", "[".repeat(10_000)},
            {"single quotes", valid.replace('"', '\'')},
        };
        for (String[] b : bodies) {
            out.add(post(shapes, b[0], b[1]));
        }
        for (int i = 1; i < 10; i++) {
            out.add(post(shapes, "cut at " + i + "0 %", valid.substring(0, valid.length() * i / 10)));
        }
        out.add(new BadRequest(
                shapes,
                "bytes that are not UTF-8",
                "POST",
                PATH,
                Map.of("Content-Type", "application/json"),
                new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', '}'},
                400));
        return out;
    }

    private static String with(ObjectNode base, String field, JsonNode value) {
        ObjectNode hb = base.deepCopy();
        hb.set(field, value);
        return hb.toString();
    }

    private static BadRequest post(String family, String what, String body) {
        return new BadRequest(
                family,
                what,
                "POST",
                PATH,
                Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8),
                400);
    }
}

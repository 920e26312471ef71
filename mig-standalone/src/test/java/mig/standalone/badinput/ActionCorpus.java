package mig.standalone.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mig.bench.fleet.FleetEchoModule;
import mig.bench.platform.Investigator;
import mig.common.Action;
import mig.common.Operation;
import mig.common.json.GoJson;

/**
 * Generated malformed action submissions ({@code POST /api/v1/action/create/}), each sent with a
 * valid token of an investigator allowed to create actions, so that only the action is wrong:
 * truncated JSON at 200 points, every field with values of the wrong JSON type, signed parts
 * changed after signing, signatures broken or made by the wrong people, expired or inverted
 * validity windows, refused targets, and unknown fields that must not change the verdict.
 */
final class ActionCorpus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAMILY_TRUNCATED = "action JSON truncated";
    private static final String FAMILY_TYPES = "action field of the wrong JSON type";
    private static final String FAMILY_TAMPERED = "signed part changed after signing";
    private static final String FAMILY_SIGNATURES = "signature broken or by the wrong signer";
    private static final String FAMILY_VALIDITY = "expired or inverted validity, bad target";

    private final Investigator eve;
    private final Investigator stranger;
    private final Investigator disabled;
    private final Investigator limited;
    private final String token;

    /**
     * @param eve      registered, active, may create actions; signs and submits
     * @param stranger unknown to the API
     * @param disabled registered, disabled
     * @param limited  registered and active, but may only search
     */
    ActionCorpus(Investigator eve, Investigator stranger, Investigator disabled, Investigator limited) {
        this.eve = eve;
        this.stranger = stranger;
        this.disabled = disabled;
        this.limited = limited;
        this.token = eve.token();
    }

    /** An action eve may run, valid from a minute ago for an hour. */
    static Action draft(String name) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Action.draft(
                name,
                "status='online'",
                now.minusSeconds(60),
                now.plus(Duration.ofHours(1)),
                List.of(Operation.of(
                        FleetEchoModule.NAME,
                        JsonNodeFactory.instance.objectNode().put("sleepms", 0))));
    }

    List<BadRequest> all() throws Exception {
        List<BadRequest> out = new ArrayList<>();
        String valid = GoJson.marshal(eve.sign(draft("bad input corpus")));
        truncations(valid, out);
        wrongTypes(valid, out);
        tampered(out);
        signatures(valid, out);
        validity(out);
        return out;
    }

    private void truncations(String valid, List<BadRequest> out) {
        for (int i = 1; i < 200; i++) {
            int at = (int) ((long) valid.length() * i / 200);
            out.add(BadRequest.action(FAMILY_TRUNCATED, "cut at byte " + at, valid.substring(0, at), token, 400));
        }
        // A truncated action with unknown fields in what is left: the verdict must not change.
        out.add(BadRequest.action(
                FAMILY_TRUNCATED,
                "unknown fields, then cut",
                "{\"extra\":1,\"__proto__\":{}," + valid.substring(1, valid.length() / 2),
                token,
                400));
    }

    private void wrongTypes(String valid, List<BadRequest> out) throws Exception {
        ObjectNode base = (ObjectNode) JSON.readTree(valid);
        Map<String, List<JsonNode>> byField = Map.ofEntries(
                Map.entry("name", kinds("number", "bool", "array", "object")),
                Map.entry("target", kinds("number", "bool", "array", "object")),
                Map.entry("status", kinds("number", "bool", "array", "object")),
                Map.entry("validfrom", kinds("number", "bool", "array", "object", "words", "badDate", "empty")),
                Map.entry("expireafter", kinds("number", "bool", "array", "object", "words", "badDate", "empty")),
                Map.entry("starttime", kinds("number", "bool", "array", "object", "words", "badDate")),
                Map.entry("finishtime", kinds("number", "bool", "array", "object", "words", "badDate")),
                Map.entry("lastupdatetime", kinds("number", "bool", "array", "object", "words", "badDate")),
                Map.entry("id", kinds("words", "bool", "array", "object", "fraction", "huge", "numericText")),
                Map.entry(
                        "syntaxversion", kinds("words", "bool", "array", "object", "fraction", "huge", "numericText")),
                Map.entry("description", kinds("words", "number", "bool", "array")),
                Map.entry("threat", kinds("words", "number", "bool", "array")),
                Map.entry("counters", kinds("words", "number", "bool", "array")),
                Map.entry("operations", kinds("words", "number", "bool", "object")),
                Map.entry("pgpsignatures", kinds("words", "number", "bool", "object")),
                Map.entry("investigators", kinds("words", "number", "bool", "object")));
        for (var e : byField.entrySet()) {
            for (JsonNode wrong : e.getValue()) {
                ObjectNode a = base.deepCopy();
                a.set(e.getKey(), wrong);
                out.add(BadRequest.action(FAMILY_TYPES, e.getKey() + " = " + wrong, a.toString(), token, 400));
            }
        }
        String[][] nested = {
            {"/description", "author", "42"}, {"/description", "revision", "\"x\""}, {"/threat", "level", "42"},
            {"/counters", "sent", "\"x\""}, {"/counters", "done", "-1.5"}, {"/operations/0", "module", "42"},
            {"/operations/0", "module", "[]"}, {"/operations/0", "is_compressed", "\"yes\""},
        };
        for (String[] n : nested) {
            ObjectNode a = base.deepCopy();
            JsonNode parent = a.at(n[0]);
            if (parent.isMissingNode() || !parent.isObject()) {
                ObjectNode fresh = JsonNodeFactory.instance.objectNode();
                a.set(n[0].substring(1), fresh);
                parent = fresh;
            }
            ((ObjectNode) parent).set(n[1], JSON.readTree(n[2]));
            out.add(BadRequest.action(FAMILY_TYPES, n[0] + "/" + n[1] + " = " + n[2], a.toString(), token, 400));
        }
        for (String elem : new String[] {"\"x\"", "42", "null", "[]"}) {
            ObjectNode a = base.deepCopy();
            ((ArrayNode) a.get("operations")).set(0, JSON.readTree(elem));
            out.add(BadRequest.action(FAMILY_TYPES, "operations[0] = " + elem, a.toString(), token, 400));
            ObjectNode b = base.deepCopy();
            ((ArrayNode) b.get("pgpsignatures")).set(0, JSON.readTree(elem));
            out.add(BadRequest.action(FAMILY_TYPES, "pgpsignatures[0] = " + elem, b.toString(), token, 400));
        }
    }

    private static List<JsonNode> kinds(String... names) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<JsonNode> out = new ArrayList<>();
        for (String n : names) {
            out.add(
                    switch (n) {
                        case "number" -> f.numberNode(42);
                        case "bool" -> f.booleanNode(true);
                        case "array" -> f.arrayNode().add("x");
                        case "object" -> f.objectNode().put("x", 1);
                        case "words" -> f.textNode("yesterday");
                        case "badDate" -> f.textNode("2020-13-45T25:61:00Z");
                        case "empty" -> f.textNode("");
                        case "fraction" -> f.numberNode(1.5);
                        case "huge" -> f.numberNode(new java.math.BigDecimal("1e400"));
                        case "numericText" -> f.textNode("2");
                        default -> throw new IllegalArgumentException(n);
                    });
        }
        return out;
    }

    private void tampered(List<BadRequest> out) {
        Action signed = eve.sign(draft("tamper"));
        Instant vf = signed.validFrom();
        Instant ea = signed.expireAfter();
        List<Operation> ops = signed.operations();
        ObjectNode otherParams = JsonNodeFactory.instance.objectNode().put("sleepms", 1);
        List<Action> changed = List.of(
                withName(signed, "tamper2"),
                withTarget(signed, "name='victim'"),
                signed.withTimes(vf.plusSeconds(1), ea),
                signed.withTimes(vf, ea.plusSeconds(1)),
                signed.withTimes(vf.minusSeconds(3600), ea.plusSeconds(86_400)),
                signed.withOperations(List.of(Operation.of("file", ops.get(0).parameters()))),
                signed.withOperations(List.of(Operation.of(FleetEchoModule.NAME, otherParams))),
                signed.withOperations(List.of(ops.get(0), ops.get(0))),
                signed.withOperations(List.of()));
        String[] what = {
            "name",
            "target",
            "validfrom + 1 s",
            "expireafter + 1 s",
            "validity widened",
            "module replaced",
            "parameters changed",
            "operation added",
            "operations removed"
        };
        for (int i = 0; i < changed.size(); i++) {
            out.add(BadRequest.action(
                    FAMILY_TAMPERED, what[i] + " changed after signing", GoJson.marshal(changed.get(i)), token, 400));
        }
    }

    private void signatures(String valid, List<BadRequest> out) throws Exception {
        Action a = eve.sign(draft("signatures"));
        String sig = a.pgpSignatures().get(0);
        String other = eve.sign(draft("another action")).pgpSignatures().get(0);
        char flipped = sig.charAt(sig.length() / 2) == 'A' ? 'B' : 'A';
        String flip = sig.substring(0, sig.length() / 2) + flipped + sig.substring(sig.length() / 2 + 1);
        Map<String, List<String>> sets = Map.of(
                "one base64 character changed", List.of(flip),
                "cut in half", List.of(sig.substring(0, sig.length() / 2)),
                "another action's signature", List.of(other),
                "empty string", List.of(""),
                "not a signature", List.of("hello"),
                "a good one and a broken one", List.of(sig, "AAAA"));
        for (var e : sets.entrySet()) {
            out.add(BadRequest.action(
                    FAMILY_SIGNATURES,
                    "signature: " + e.getKey(),
                    GoJson.marshal(a.withSignatures(e.getValue())),
                    token,
                    400));
        }
        out.add(BadRequest.action(
                FAMILY_SIGNATURES,
                "the same signature twice",
                GoJson.marshal(a.withSignatures(List.of(sig, sig))),
                token,
                400));
        out.add(BadRequest.action(
                FAMILY_SIGNATURES, "no signatures (null)", GoJson.marshal(a.withSignatures(null)), token, 400));
        out.add(BadRequest.action(
                FAMILY_SIGNATURES, "no signatures ([])", GoJson.marshal(a.withSignatures(List.of())), token, 400));
        out.add(BadRequest.action(
                FAMILY_SIGNATURES,
                "signed by a key unknown to the API",
                GoJson.marshal(stranger.sign(draft("stranger"))),
                token,
                403));
        out.add(BadRequest.action(
                FAMILY_SIGNATURES,
                "signed by a disabled investigator",
                GoJson.marshal(disabled.sign(draft("disabled"))),
                token,
                403));
        out.add(BadRequest.action(
                FAMILY_SIGNATURES,
                "signed by someone else than the submitter",
                GoJson.marshal(limited.sign(draft("limited"))),
                token,
                403));
        out.add(BadRequest.action(
                        FAMILY_SIGNATURES, "a valid action with an unknown form field besides", valid, token, 400)
                .withBody(("action=" + BadRequest.enc(valid) + "&priority=high")));
    }

    private void validity(List<BadRequest> out) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Operation> ops = draft("x").operations();
        record Case(String what, Action action) {}
        List<Case> cases = List.of(
                new Case(
                        "expired an hour ago",
                        Action.draft(
                                "expired", "status='online'", now.minusSeconds(7200), now.minusSeconds(3600), ops)),
                new Case(
                        "expireafter before validfrom",
                        Action.draft("inverted", "status='online'", now.plusSeconds(3600), now.plusSeconds(60), ops)),
                new Case(
                        "expireafter at year 1",
                        Action.draft(
                                "year one",
                                "status='online'",
                                Instant.parse("0001-01-01T00:00:00Z"),
                                Instant.parse("0001-01-01T00:00:01Z"),
                                ops)),
                new Case(
                        "empty name",
                        Action.draft("", "status='online'", now.minusSeconds(60), now.plusSeconds(600), ops)),
                new Case(
                        "empty target", Action.draft("no target", "", now.minusSeconds(60), now.plusSeconds(600), ops)),
                new Case(
                        "operations null",
                        Action.draft("null ops", "status='online'", now.minusSeconds(60), now.plusSeconds(600), null)),
                new Case(
                        "target with a second statement",
                        Action.draft(
                                "injection",
                                "status='online'; DROP TABLE agents",
                                now.minusSeconds(60),
                                now.plusSeconds(600),
                                ops)),
                new Case(
                        "target with a subquery",
                        Action.draft(
                                "subquery",
                                "id IN (SELECT id FROM investigators)",
                                now.minusSeconds(60),
                                now.plusSeconds(600),
                                ops)),
                new Case(
                        "target of 3000 characters",
                        Action.draft(
                                "long target",
                                "name='" + "x".repeat(3000) + "'",
                                now.minusSeconds(60),
                                now.plusSeconds(600),
                                ops)),
                new Case(
                        "name of 3000 characters",
                        Action.draft(
                                "n".repeat(3000), "status='online'", now.minusSeconds(60), now.plusSeconds(600), ops)),
                new Case(
                        "unknown column in the target",
                        Action.draft("column", "password='x'", now.minusSeconds(60), now.plusSeconds(600), ops)));
        for (Case c : cases) {
            out.add(BadRequest.action(
                    FAMILY_VALIDITY, c.what() + " (signed)", GoJson.marshal(eve.sign(c.action())), token, 400));
        }
        Action v1 = eve.sign(draft("syntax 1"));
        ObjectNode old = (ObjectNode) GoJson.tree(GoJson.marshal(v1));
        old.put("syntaxversion", 1);
        out.add(BadRequest.action(FAMILY_VALIDITY, "syntax version 1 (signed)", old.toString(), token, 400));
    }

    private static Action withName(Action a, String name) {
        return new Action(
                a.id(),
                name,
                a.target(),
                a.description(),
                a.threat(),
                a.validFrom(),
                a.expireAfter(),
                a.operations(),
                a.pgpSignatures(),
                a.investigators(),
                a.status(),
                a.startTime(),
                a.finishTime(),
                a.lastUpdateTime(),
                a.counters(),
                a.syntaxVersion());
    }

    private static Action withTarget(Action a, String target) {
        return new Action(
                a.id(),
                a.name(),
                target,
                a.description(),
                a.threat(),
                a.validFrom(),
                a.expireAfter(),
                a.operations(),
                a.pgpSignatures(),
                a.investigators(),
                a.status(),
                a.startTime(),
                a.finishTime(),
                a.lastUpdateTime(),
                a.counters(),
                a.syntaxVersion());
    }
}

package mig.common.json;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Agent;
import mig.common.Command;
import mig.common.InvalidActionException;
import mig.common.Investigator;
import mig.common.ModuleResult;
import mig.common.Resources;
import mig.common.pgp.Keyring;
import mig.common.pgp.PgpException;
import mig.testkit.fuzz.Fuzz;
import mig.testkit.fuzz.Tally;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing of the Go-compatible JSON reader with every record that arrives from outside: actions
 * (API, agent's local file), commands (AMQP, both ways), agents (heartbeats), module results and
 * investigators, plus the generic trees and tag maps. Inputs are the recorded wire samples mutated,
 * and random text. A try must decode, or fail with {@link GoJsonException}; what decodes must
 * marshal and decode again (the API and the scheduler store and resend what they read).
 */
class GoJsonFuzzTest {

    private static final Tally TALLY = new Tally("GoJson");

    /** A recorded document and the record it is read into. */
    record Sample(String name, Class<?> type, String json) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Sample> samples() {
        List<Sample> s = new ArrayList<>();
        for (String f : List.of(
                "05-action-signed.json",
                "05-action-unsigned.json",
                "action-completed-07.json",
                "action-print-file-name.json")) {
            s.add(new Sample(f, Action.class, Resources.text("wire/" + f)));
        }
        for (String f : List.of(
                "command-09.json", "toagents-0.json", "toagents-1.json", "toagents-3.json", "toschedulers-0.json")) {
            s.add(new Sample(f, Command.class, Resources.text("wire/" + f)));
        }
        s.add(new Sample("agent-15.json", Agent.class, Resources.text("wire/agent-15.json")));
        String results = GoJson.tree(Resources.text("wire/toschedulers-0.json"))
                .get("results")
                .get(0)
                .toString();
        s.add(new Sample("toschedulers-0 result", ModuleResult.class, results));
        s.add(new Sample(
                "investigator",
                Investigator.class,
                "{\"id\":1,\"name\":\"Bob\",\"pgpfingerprint\":"
                        + "\"D903231F7344F6E566A76688DE59C102AF729558\",\"status\":\"active\",\"createdat\":"
                        + "\"2026-11-28T19:04:22Z\",\"lastmodified\":\"2026-11-28T19:04:22.5+01:00\",\"isadmin\":true,"
                        + "\"permissions\":{\"Search\":true}}"));
        return s;
    }

    @Provide
    Arbitrary<Sample> recorded() {
        return Arbitraries.of(samples());
    }

    @Provide
    Arbitrary<Class<?>> types() {
        return Arbitraries.of(Action.class, Command.class, Agent.class, ModuleResult.class, Investigator.class);
    }

    @net.jqwik.api.Example
    void everyRecordedSampleIsAcceptedAsIs() {
        for (Sample s : samples()) {
            roundTrip(s.json().getBytes(StandardCharsets.UTF_8), s.type());
        }
        // the recorded action's signature holds: mutations start from a verifiable action
        Action signed = GoJson.unmarshal(Resources.text("wire/05-action-signed.json"), Action.class);
        try {
            ActionSignatures.verify(signed, KEYRING);
        } catch (ActionSignatures.ActionSignatureException e) {
            throw new AssertionError(e);
        }
    }

    @Property(tries = 3000)
    void mutatedRecordsDecodeOrAreRefused(@ForAll("recorded") Sample sample, @ForAll long seed) {
        byte[] input = Fuzz.mutate(sample.json().getBytes(StandardCharsets.UTF_8), new Random(seed));
        TALLY.add(
                "mutated wire records",
                Fuzz.check(input, () -> roundTrip(input, sample.type()), GoJsonException.class));
    }

    @Property(tries = 600)
    void mutatedTimesDecodeOrAreRefused(@ForAll long seed) {
        // RFC 3339 times are read by our own deserializer (GoTime): mutate just the time of a command
        Random r = new Random(seed);
        String time = Fuzz.mutate(
                List.of(
                                "2026-11-28T19:04:22Z",
                                "2026-11-28T18:57:45.288697Z",
                                "2026-11-28T19:04:22.5+01:00",
                                "0001-01-01T00:00:00Z",
                                "9999-12-31T23:59:59.999999999-23:59")
                        .get(r.nextInt(5)),
                r);
        String input = Resources.text("wire/command-09.json")
                .replaceFirst(
                        "\"starttime\":\"[^\"]*\"",
                        java.util.regex.Matcher.quoteReplacement("\"starttime\":\"" + time + "\""));
        TALLY.add(
                "mutated times",
                Fuzz.check(
                        time,
                        () -> roundTrip(input.getBytes(StandardCharsets.UTF_8), Command.class),
                        GoJsonException.class));
    }

    @Property(tries = 800)
    void randomTextIsRefusedClearly(@ForAll("types") Class<?> type, @ForAll long seed) {
        String input = Fuzz.randomText(new Random(seed), 300);
        TALLY.add(
                "random text",
                Fuzz.check(
                        input,
                        () -> {
                            roundTrip(input.getBytes(StandardCharsets.UTF_8), type);
                            return null;
                        },
                        GoJsonException.class));
    }

    @Property(tries = 400)
    void mutatedGenericTreesParseOrAreRefused(@ForAll("recorded") Sample sample, @ForAll long seed) {
        String input = Fuzz.mutate(sample.json(), new Random(seed));
        TALLY.add(
                "mutated generic trees",
                Fuzz.check(input, () -> GoJson.marshal(GoJson.tree(input)), GoJsonException.class));
    }

    @Property(tries = 300)
    void mutatedTagMapsDecodeOrAreRefused(@ForAll long seed) {
        // an agent's tags, as stored from its heartbeat and read back by the API and the scheduler
        String input = Fuzz.mutate("{\"operator\":\"IT\",\"env\":\"prod\",\"\u00e9\":\"\\u00e9\"}", new Random(seed));
        TALLY.add(
                "mutated tag maps",
                Fuzz.check(
                        input,
                        () -> GoJson.unmarshal(input, new TypeReference<Map<String, String>>() {}),
                        GoJsonException.class));
    }

    private static final Keyring KEYRING = keyring();
    private static final Instant SIGNED_AT = Instant.parse("2026-11-28T19:05:00Z");

    private static Keyring keyring() {
        try {
            return Keyring.fromArmored(Resources.text("wire/investigator-pubkey.asc"));
        } catch (PgpException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Decodes, then does with the value what the API and the agent do first: an action (alone or in a
     * command) is validated and its signatures checked, which may only refuse with their own
     * exceptions; then it is marshalled and read back.
     */
    private static Object roundTrip(byte[] input, Class<?> type) {
        Object value = GoJson.unmarshal(input, type);
        Action action = value instanceof Action a ? a : value instanceof Command c ? c.action() : null;
        if (action != null) {
            try {
                action.validate(SIGNED_AT);
                ActionSignatures.verify(action, KEYRING);
            } catch (InvalidActionException | ActionSignatures.ActionSignatureException refused) {
                if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                    throw new IllegalStateException("refusal without a message", refused);
                }
            }
        }
        String again = GoJson.marshal(value);
        try {
            return GoJson.unmarshal(again, type);
        } catch (GoJsonException e) {
            // what we accepted we must be able to read back: not a refusal, a failure
            throw new IllegalStateException(
                    "accepted, but its marshalled form " + Fuzz.show(again) + " is refused: " + e.getMessage(), e);
        }
    }

    @AfterContainer
    static void report() {
        TALLY.print();
    }
}

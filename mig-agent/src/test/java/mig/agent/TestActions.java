package mig.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import mig.agent.trust.Trust;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Agent;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.acl.Acl;
import mig.common.pgp.KeyGen;
import mig.common.pgp.Keyring;

/**
 * Investigators and commands for agent tests: Alice (weight 2) and Bob (weight 1) are in the
 * agent's keyring and ACL (default minimum weight 2); Mallory signs with a key the agent does not
 * know. Keys are made once per JVM.
 */
final class TestActions {

    static final KeyGen.Generated ALICE = KeyGen.rsa("Alice Investigator <alice@example.net>", 2048);
    static final KeyGen.Generated BOB = KeyGen.rsa("Bob Investigator <bob@example.net>", 2048);
    static final KeyGen.Generated MALLORY = KeyGen.rsa("Mallory <mallory@example.net>", 2048);

    private static final AtomicLong IDS = new AtomicLong(7_000_000_000_000L);

    private TestActions() {}

    static Keyring keyring() {
        return Keyring.of(List.of(ALICE.secretKey().publicKey(), BOB.secretKey().publicKey()));
    }

    static String aclJson() {
        return "{\"default\":{\"minimumweight\":2,\"investigators\":{"
                + "\"Alice\":{\"fingerprint\":\"" + ALICE.fingerprint() + "\",\"weight\":2},"
                + "\"Bob\":{\"fingerprint\":\"" + BOB.fingerprint() + "\",\"weight\":1}}}}";
    }

    static Trust trust() {
        return new Trust(keyring(), Acl.parse(aclJson()), false);
    }

    /** An operation of {@code module} with parameters {@code {"marker": marker}}. */
    static Operation op(String module, String marker) {
        ObjectNode p = JsonNodeFactory.instance.objectNode().put("marker", marker);
        return Operation.of(module, p);
    }

    /** An unsigned action valid from a minute ago for five minutes. */
    static Action draft(String name, Operation... ops) {
        return draft(name, "status='online'", ops);
    }

    /** An unsigned action for {@code target}, valid from a minute ago for five minutes. */
    static Action draft(String name, String target, Operation... ops) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Action.draft(name, target, now.minusSeconds(60), now.plusSeconds(300), List.of(ops))
                .withId(IDS.incrementAndGet());
    }

    static Action signed(Action a, KeyGen.Generated... signers) {
        Action out = a;
        for (KeyGen.Generated k : signers) {
            out = ActionSignatures.sign(out, k.secretKey());
        }
        return out;
    }

    /** The command a scheduler would send for {@code action} to an agent it knows as {@code queueLoc}. */
    static Command command(Action action, String queueLoc) {
        Agent agent = new Agent(
                IDS.incrementAndGet(),
                "vm",
                queueLoc,
                Agent.MODE_DAEMON,
                "0.unversioned",
                4242,
                "",
                Instant.now(),
                null,
                Instant.now(),
                Instant.now(),
                Agent.STATUS_ONLINE,
                false,
                null,
                null);
        List<ModuleResult> placeholders =
                action.operations().stream().map(o -> ModuleResult.EMPTY).toList();
        return new Command(
                IDS.incrementAndGet(),
                action.withStatus(Action.STATUS_PREPARING),
                agent,
                Command.STATUS_SENT,
                placeholders,
                Instant.now(),
                null);
    }
}

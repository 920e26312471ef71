package mig.agent.build;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Operation;
import mig.common.pgp.KeyGen;

/**
 * Trust folders for packaging tests. The build trusts Alice (weight 2) and Bob (weight 1) with a
 * default minimum weight of 2, and lets Bob alone run {@code file} (its own entry, minimum 1).
 * Mallory is trusted only by files on disk ({@link #writeDiskTrust}), which a packaged agent must
 * ignore. Keys are made once per JVM.
 */
public final class TrustFixture {

    public static final KeyGen.Generated ALICE = KeyGen.ed25519("Alice Investigator <alice@example.net>");
    public static final KeyGen.Generated BOB = KeyGen.ed25519("Bob Investigator <bob@example.net>");
    public static final KeyGen.Generated MALLORY = KeyGen.ed25519("Mallory <mallory@example.net>");
    private static final AtomicLong IDS = new AtomicLong(8_200_000_000_000L);

    private TrustFixture() {}

    /** The build's ACL: default needs 2 (Alice 2, Bob 1); {@code file} needs 1 (Bob 1, Alice 1). */
    public static String buildAcl() {
        return "{\"default\":{\"minimumweight\":2,\"investigators\":{"
                + "\"Alice\":{\"fingerprint\":\"" + ALICE.fingerprint() + "\",\"weight\":2},"
                + "\"Bob\":{\"fingerprint\":\"" + BOB.fingerprint() + "\",\"weight\":1}}},"
                + "\"file\":{\"minimumweight\":1,\"investigators\":{"
                + "\"Alice\":{\"fingerprint\":\"" + ALICE.fingerprint() + "\",\"weight\":1},"
                + "\"Bob\":{\"fingerprint\":\"" + BOB.fingerprint() + "\",\"weight\":1}}}}";
    }

    /** Writes the build's trust folder: ACL, Alice's and Bob's keys, {@code build.cfg}, optional settings. */
    public static Path writeTrustFolder(Path dir, String name, boolean trustFromDisk, String settings)
            throws IOException {
        Files.createDirectories(dir.resolve("agentkeys"));
        Files.writeString(dir.resolve("acl.cfg"), buildAcl());
        Files.writeString(dir.resolve("agentkeys/alice.asc"), ALICE.armoredPublicKey());
        Files.writeString(dir.resolve("agentkeys/bob.asc"), BOB.armoredPublicKey());
        Files.writeString(
                dir.resolve("build.cfg"),
                "[build]\n  name = \"" + name + "\"\n  trustfromdisk = " + (trustFromDisk ? "on" : "off") + "\n");
        if (settings != null) {
            Files.writeString(dir.resolve("mig-agent.cfg"), settings);
        }
        return dir;
    }

    /** What an attacker with root on the relay's side cannot do but may try: Mallory's key and ACL in a conf folder. */
    public static Path writeDiskTrust(Path confDir) throws IOException {
        Files.createDirectories(confDir.resolve("agentkeys"));
        Files.writeString(confDir.resolve("agentkeys/mallory.asc"), MALLORY.armoredPublicKey());
        Files.writeString(
                confDir.resolve("acl.cfg"),
                "{\"default\":{\"minimumweight\":1,\"investigators\":{" + "\"Mallory\":{\"fingerprint\":\""
                        + MALLORY.fingerprint() + "\",\"weight\":5}}}}",
                StandardCharsets.UTF_8);
        return confDir;
    }

    /** An action valid from a minute ago for five minutes, signed by {@code signers}. */
    public static Action signed(String name, List<Operation> ops, KeyGen.Generated... signers) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Action a = Action.draft(name, "status='online'", now.minusSeconds(60), now.plusSeconds(300), ops)
                .withId(IDS.incrementAndGet());
        for (KeyGen.Generated k : signers) {
            a = ActionSignatures.sign(a, k.secretKey());
        }
        return a;
    }

    /** A {@code file} operation looking for {@code name} (a regex) under {@code dir}. */
    public static Operation fileSearch(Path dir, String name) {
        ObjectNode search = JsonNodeFactory.instance.objectNode();
        search.putArray("paths").add(dir.toString());
        search.putArray("names").add(name);
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putObject("searches").set("s1", search);
        return Operation.of("file", params);
    }

    /** A {@code netstat} operation (any parameters will do: the ACL decides before the module runs). */
    public static Operation netstat() {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putArray("listeningport").add("22");
        return Operation.of("netstat", params);
    }

    /** A fresh id for a command. */
    public static long nextId() {
        return IDS.incrementAndGet();
    }
}

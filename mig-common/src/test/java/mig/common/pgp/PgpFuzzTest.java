package mig.common.pgp;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import mig.testkit.fuzz.Fuzz;
import mig.testkit.fuzz.Tally;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing of what the PGP layer reads from outside: MIG one-line signatures and armoured signature
 * blocks (actions from the API, commands from the broker), armoured and binary public keys
 * (investigator creation, the agent's and the API's keyrings) and {@code X-PGPAUTHORIZATION} tokens.
 * Inputs are the recorded signature, key and token mutated, and random text. A try verifies, or
 * fails with {@link PgpException} (its subclasses {@link InvalidSignatureException} and
 * {@link TokenException} for signatures and tokens) with a message.
 */
class PgpFuzzTest {

    private static final Tally TALLY = new Tally("PGP");
    private static final byte[] SIGNED = TestKeys.resourceBytes("05-action-signed-string.txt");
    private static final String SIGNATURE =
            TestKeys.resource("05-action-signature.txt").strip();
    private static final String TOKEN = TestKeys.resource("token-action1.txt").strip();
    /** The recorded token was made at this second, and verifies then. */
    private static final Clock TOKEN_TIME = Clock.fixed(Instant.parse("2026-11-28T18:58:20Z"), ZoneOffset.UTC);

    private static final Keyring KEYRING = keyring();

    private static Keyring keyring() {
        try {
            return TestKeys.investigatorKeyring();
        } catch (PgpException e) {
            throw new IllegalStateException(e);
        }
    }

    @Provide
    Arbitrary<String> signatures() throws InvalidSignatureException {
        return Arbitraries.of(SIGNATURE, Signatures.toArmored(SIGNATURE));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(TestKeys.resource("investigator-pubkey.asc"), TestKeys.resource("go-verdicts-key.asc"));
    }

    @Property(tries = 1000)
    void mutatedSignaturesVerifyOrAreRefused(@ForAll("signatures") String sample, @ForAll long seed) {
        String input = Fuzz.mutate(sample, new Random(seed));
        TALLY.add(
                "mutated signatures (one-line and armoured)",
                Fuzz.check(input, () -> Signatures.verify(SIGNED, input, KEYRING), InvalidSignatureException.class));
    }

    @Property(tries = 400)
    void mutatedSignaturePacketsVerifyOrAreRefused(@ForAll long seed) throws InvalidSignatureException {
        // below the armour: the packet bytes themselves, re-armoured so that they reach the packet parser
        byte[] packet = Fuzz.mutateBinary(Armor.fromMig(SIGNATURE), new Random(seed));
        String input = Armor.toMig(packet);
        TALLY.add(
                "mutated signature packets",
                Fuzz.check(input, () -> Signatures.verify(SIGNED, input, KEYRING), InvalidSignatureException.class));
    }

    @Property(tries = 600)
    void mutatedArmouredKeysLoadOrAreRefused(@ForAll("keys") String sample, @ForAll long seed) {
        String input = Fuzz.mutate(sample, new Random(seed));
        TALLY.add(
                "mutated armoured public keys",
                Fuzz.check(input, () -> useKeys(Keyring.fromArmored(input)), PgpException.class));
    }

    @Property(tries = 400)
    void mutatedBinaryKeysLoadOrAreRefused(@ForAll long seed) {
        byte[] binary = KEYRING.keys().get(0).encoded();
        byte[] input = Fuzz.mutateBinary(binary, new Random(seed));
        TALLY.add(
                "mutated binary keyrings",
                Fuzz.check(input, () -> useKeys(Keyring.fromBytes(input, "fuzz")), PgpException.class));
    }

    @Property(tries = 800)
    void mutatedTokensAuthenticateOrAreRefused(@ForAll long seed) {
        String input = Fuzz.mutate(TOKEN, new Random(seed));
        TALLY.add(
                "mutated tokens",
                Fuzz.check(
                        input,
                        () -> AuthToken.check(input, KEYRING, TOKEN_TIME, AuthToken.DEFAULT_WINDOW),
                        TokenException.class));
    }

    @Property(tries = 300)
    void randomTextIsRefused(@ForAll long seed) {
        Random r = new Random(seed);
        String input = Fuzz.randomText(r, 300);
        List<Fuzz.Outcome> outcomes = List.of(
                Fuzz.check(input, () -> Signatures.verify(SIGNED, input, KEYRING), InvalidSignatureException.class),
                Fuzz.check(input, () -> Signatures.fromArmored(input), InvalidSignatureException.class),
                Fuzz.check(
                        input,
                        () -> AuthToken.check(input, KEYRING, TOKEN_TIME, AuthToken.DEFAULT_WINDOW),
                        TokenException.class),
                Fuzz.check(input, () -> useKeys(Keyring.fromArmored(input)), PgpException.class),
                Fuzz.check(
                        input,
                        () -> useKeys(Keyring.fromBytes(input.getBytes(StandardCharsets.UTF_8), "fuzz")),
                        PgpException.class));
        outcomes.forEach(o -> TALLY.add("random text (5 readers each)", o));
    }

    /** What the API and the agent do with a loaded keyring: list, print and look keys up. */
    private static Object useKeys(Keyring k) {
        for (PublicKey key : k.keys()) {
            key.armored();
            k.find(key.fingerprint());
        }
        return k.size();
    }

    @AfterContainer
    static void report() {
        TALLY.print();
    }
}

package mig.client.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** mig-action-verifier against the actions and commands recorded from the original platform. */
class ActionVerifierTest {

    /** While the recorded action was valid. */
    static final Clock DURING = Clock.fixed(Instant.parse("2026-11-28T19:05:00Z"), ZoneOffset.UTC);

    static final Clock LATER = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    Path key;
    Path signedAction;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void copyVectors() throws IOException {
        key = copy("investigator-pubkey.asc");
        signedAction = copy("05-action-signed.json");
    }

    @Test
    void acceptsTheRecordedSignedActionWithTheInvestigatorKey() {
        assertEquals(0, run(DURING, "-a", signedAction.toString(), "-k", key.toString()));
        assertEquals("Valid signature\n", stdout());
        assertTrue(stderr().contains("signed by D903231F7344F6E566A76688DE59C102AF729558"), stderr());
    }

    @Test
    void reportsExpiryButStillChecksTheSignatureLikeTheOriginal() {
        assertEquals(0, run(LATER, "-a", signedAction.toString(), "-k", key.toString()));
        assertEquals("action expireafter is in the past\nValid signature\n", stdout());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"toagents-0.json", "toagents-1.json", "toagents-2.json", "toagents-3.json", "toschedulers-0.json"
            })
    void acceptsTheCommandsPublishedByTheOriginalScheduler(String file) throws IOException {
        assertEquals(0, run(LATER, "-c", copy(file).toString(), "-k", key.toString()));
        assertTrue(stdout().endsWith("Valid signature\n"), stdout());
    }

    @Test
    void readsThePubringOfTheMigrcGpgHome() throws IOException {
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        try (InputStream in = new ArmoredInputStream(Files.newInputStream(key))) {
            Files.write(home.resolve("pubring.gpg"), in.readAllBytes());
        }
        Path migrc = Files.writeString(
                dir.resolve("migrc"),
                "[api]\nurl = http://localhost:1664/api/v1/\n" + "[gpg]\nhome = " + home
                        + "\nkeyid = D903231F7344F6E566A76688DE59C102AF729558\n");
        assertEquals(0, run(DURING, "-a", signedAction.toString(), "-conf", migrc.toString()));
        assertEquals("Valid signature\n", stdout());
    }

    /**
     * An action signed but not yet posted ({@code mig -s}, {@code mig-action-generator -nolaunch})
     * has no syntax version: the client sets it when posting, and it is not signed. No warning then;
     * a wrong one still says so.
     */
    @Test
    void aSignedActionNotYetPostedIsValidWithoutASyntaxVersionWarning() throws IOException {
        String json = Files.readString(signedAction);
        assertTrue(json.matches("(?s).*\"syntaxversion\": ?2.*"), json);
        Path unposted =
                Files.writeString(dir.resolve("unposted.json"), json.replaceAll(",\\s*\"syntaxversion\": ?2", ""));
        assertEquals(0, run(DURING, "-a", unposted.toString(), "-k", key.toString()));
        assertEquals("Valid signature\n", stdout());
        out.reset();
        Path wrong = Files.writeString(
                dir.resolve("wrong.json"), json.replaceAll("\"syntaxversion\": ?2", "\"syntaxversion\": 3"));
        assertEquals(0, run(DURING, "-a", wrong.toString(), "-k", key.toString()));
        assertEquals("wrong syntax version, expected 2\nValid signature\n", stdout());
    }

    @Test
    void aTamperedActionExitsNonZeroSayingTheSignatureIsBad() throws IOException {
        Path tampered = Files.writeString(
                dir.resolve("tampered.json"),
                Files.readString(signedAction).replace("status='online'", "status='idle'"));
        assertEquals(1, run(DURING, "-a", tampered.toString(), "-k", key.toString()));
        assertTrue(stdout().startsWith("[error] signature 1 of 1: "), stdout());
        assertTrue(stdout().toLowerCase().contains("bad signature"), stdout());
    }

    @Test
    void anUnknownKeyExitsNonZeroNamingTheKey(@TempDir Path other) throws IOException {
        Path otherKey = Files.writeString(
                other.resolve("other.asc"),
                mig.common.pgp.KeyGen.rsa("Someone Else <else@example.net>", 2048)
                        .armoredPublicKey());
        assertEquals(1, run(DURING, "-a", signedAction.toString(), "-k", otherKey.toString()));
        assertTrue(stdout().contains("DE59C102AF729558"), stdout());
    }

    @Test
    void anUnsignedActionExitsNonZero() throws IOException {
        Path unsigned = Files.writeString(
                dir.resolve("unsigned.json"),
                Files.readString(signedAction).replaceAll("\"pgpsignatures\":\\[[^]]*]", "\"pgpsignatures\":[]"));
        assertEquals(1, run(DURING, "-a", unsigned.toString(), "-k", key.toString()));
        assertEquals("action pgpsignatures is empty\n[error] action contained no valid signatures\n", stdout());
    }

    @Test
    void usageErrorsExitTwoWithAMessage() throws IOException {
        assertEquals(2, run(DURING, "-k", key.toString()));
        assertTrue(stderr().startsWith("[error] either an action file or a command file must be provided"));
        err.reset();
        assertEquals(2, run(DURING, "-a", dir.resolve("missing.json").toString(), "-k", key.toString()));
        assertTrue(stderr().startsWith("[error] cannot read "), stderr());
        err.reset();
        Path junk = Files.writeString(dir.resolve("junk.json"), "{\"name\": ");
        assertEquals(2, run(DURING, "-a", junk.toString(), "-k", key.toString()));
        assertTrue(stderr().startsWith("[error] invalid Action JSON"), stderr());
        err.reset();
        assertEquals(
                3,
                run(
                        DURING,
                        "-a",
                        signedAction.toString(),
                        "-conf",
                        dir.resolve("nope").toString()));
        assertTrue(stderr().contains("not found"), stderr());
        err.reset();
        assertEquals(2, run(DURING, "-bogus"));
        assertTrue(stderr().startsWith("[error] Unknown option: '-bogus'"), stderr());
    }

    private int run(Clock clock, String... args) {
        out.reset();
        return ActionVerifier.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                clock);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path copy(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/wire/" + name)) {
            Path p = dir.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }
}

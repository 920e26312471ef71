package mig.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import mig.common.Investigator;
import mig.common.Permission;
import mig.common.pgp.AuthToken;
import mig.common.pgp.InvalidSignatureException;
import mig.common.pgp.TokenException;
import mig.database.InvestigatorStore;

/**
 * Decides who an investigator request comes from and whether they may use the route (spec §3.4):
 * {@code X-PGPAUTHORIZATION} first, else {@code X-MIGAPIKEY}, else refused; then the route's
 * permission. With {@code [authentication] enabled = off} everyone is "authdisabled" with every
 * permission, as in the original (used to register the first investigator).
 *
 * <p>Tokens may be reused within the window (the original client sends one per session). The
 * investigator is read from the database on every request, so a status or permission change
 * applies to the next request. Refusal messages are the original's, so its clients print the same.
 */
public final class Authenticator {

    /** The outcome of authenticating one request. */
    public sealed interface Outcome permits Allowed, Refused, Limited {}

    /** The request may go ahead as {@code caller}. */
    public record Allowed(Caller caller) implements Outcome {}

    /** 401 with {@code message}; {@code logged} is how the access log names the caller. */
    public record Refused(Caller logged, String message) implements Outcome {}

    /** 429: too many failed API-key attempts from this address; try again in {@code retryAfterSeconds}. */
    public record Limited(Caller logged, long retryAfterSeconds, String message) implements Outcome {}

    /** Failed API-key attempts allowed per source address and period before 429. */
    static final int KEY_FAILURES = 10;

    static final Duration KEY_FAILURE_PERIOD = Duration.ofMinutes(1);

    private static final String FAILED = "Authorization verification failed with error '%s'";

    private final boolean enabled;
    private final Duration window;
    private final KeyringCache keys;
    private final InvestigatorStore investigators;
    private final Clock clock;
    private final FailureLimiter keyFailures;

    public Authenticator(
            boolean enabled, Duration window, KeyringCache keys, InvestigatorStore investigators, Clock clock) {
        this.enabled = enabled;
        this.window = window;
        this.keys = keys;
        this.investigators = investigators;
        this.clock = clock;
        this.keyFailures = new FailureLimiter(KEY_FAILURES, KEY_FAILURE_PERIOD, clock);
    }

    /**
     * @param needed       the route's permission
     * @param pgpToken     the X-PGPAUTHORIZATION header, or null
     * @param apiKey       the X-MIGAPIKEY header, or null
     * @param source       the caller's address, for limiting failed API-key attempts
     */
    public Outcome authenticate(Permission needed, String pgpToken, String apiKey, String source) {
        if (!enabled) {
            return new Allowed(Caller.authDisabled());
        }
        Outcome who;
        if (pgpToken != null && !pgpToken.isEmpty()) {
            who = byToken(pgpToken);
        } else if (apiKey != null && !apiKey.isEmpty()) {
            who = byApiKey(apiKey, source);
        } else {
            return new Refused(Caller.refused("authmissing"), "Valid authentication header not found");
        }
        if (who instanceof Allowed allowed && !allowed.caller().permissions().contains(needed)) {
            return new Refused(Caller.refused("authfailed"), "Insufficient permissions to access endpoint");
        }
        return who;
    }

    private Outcome byToken(String token) {
        KeyringCache.Snapshot snapshot = keys.get();
        String fingerprint;
        try {
            fingerprint = AuthToken.check(token, snapshot.keyring(), clock, window);
        } catch (TokenException e) {
            if (!isUnknownKey(e)) {
                return refused("verifySignedToken() -> " + tokenProblem(e));
            }
            snapshot = keys.reloadIfOlderThan(KeyringCache.RELOAD_ON_UNKNOWN_KEY);
            try {
                fingerprint = AuthToken.check(token, snapshot.keyring(), clock, window);
            } catch (TokenException again) {
                return refused("verifySignedToken() -> " + tokenProblem(again));
            }
        }
        Optional<InvestigatorStore.ActiveKey> owner = snapshot.investigator(fingerprint);
        if (owner.isEmpty()) {
            return refused("verifySignedToken() -> InvestigatorByFingerprint: no investigator found for fingerprint '"
                    + fingerprint + "'");
        }
        Optional<Investigator> inv = investigators.get(owner.get().id());
        if (inv.isEmpty() || !Investigator.STATUS_ACTIVE.equals(inv.get().status())) {
            return refused("verifySignedToken() -> investigator '" + owner.get().name() + "' (id "
                    + owner.get().id() + ") is not active");
        }
        return new Allowed(caller(inv.get(), fingerprint));
    }

    private static boolean isUnknownKey(TokenException e) {
        return e.getCause() instanceof InvalidSignatureException ise
                && ise.reason() == InvalidSignatureException.Reason.UNKNOWN_KEY;
    }

    private static String tokenProblem(TokenException e) {
        return switch (e.reason()) {
            // The original's exact words, which its clients show; our extra detail would change them.
            case OUT_OF_WINDOW -> "token timestamp is not within acceptable time limits";
            case SIGNATURE ->
                "GetFingerprintFromSignature() -> "
                        + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            default -> e.getMessage();
        };
    }

    private Outcome byApiKey(String key, String source) {
        var wait = keyFailures.retryAfter(source);
        if (wait.isPresent()) {
            return new Limited(
                    Caller.refused("authfailed"),
                    wait.getAsLong(),
                    "too many failed API key attempts from " + source + "; retry in " + wait.getAsLong() + " s");
        }
        String digest = sha256(key);
        Optional<Long> known = keys.provenApiKey(digest);
        if (known.isPresent()) {
            Optional<Investigator> inv = investigators.get(known.get());
            if (inv.isPresent() && Investigator.STATUS_ACTIVE.equals(inv.get().status())) {
                return new Allowed(caller(inv.get(), ""));
            }
        }
        // a key issued with an id: fetch its row by the id and derive once
        byte[] prefix = ApiKeys.saltPrefix(key);
        List<InvestigatorStore.ApiKeyRow> rows =
                prefix == null ? List.of() : investigators.activeApiKeysBySaltPrefix(prefix);
        for (InvestigatorStore.ApiKeyRow row : rows) {
            if (ApiKeys.matches(key, row.salt(), row.hash())) {
                return allowKey(row.id(), digest);
            }
        }
        if (rows.isEmpty()) {
            // keys issued before ids: the original's scan, over those keys only; one that matches is
            // re-salted with its id, so the scan shrinks as their holders use them
            for (InvestigatorStore.ApiKeyRow row : investigators.activeApiKeysWithoutSaltMark(ApiKeys.saltMark())) {
                if (ApiKeys.matches(key, row.salt(), row.hash())) {
                    ApiKeys.Issued resalted = ApiKeys.salted(key);
                    investigators.resaltApiKey(row.id(), row.hash(), resalted.hash(), resalted.salt());
                    return allowKey(row.id(), digest);
                }
            }
        }
        keyFailures.failed(source);
        return refused("API key authentication failed");
    }

    private Outcome allowKey(long id, String digest) {
        Optional<Investigator> inv = investigators.get(id);
        if (inv.isEmpty()) {
            return refused("API key authentication failed");
        }
        keys.rememberApiKey(digest, id);
        return new Allowed(caller(inv.get(), ""));
    }

    private static Caller caller(Investigator inv, String fingerprint) {
        return new Caller(
                Caller.Category.INVESTIGATOR,
                inv.name(),
                inv.id(),
                inv.permissions().toSet(),
                fingerprint);
    }

    private static Refused refused(String why) {
        return new Refused(Caller.refused("authfailed"), String.format(FAILED, why));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

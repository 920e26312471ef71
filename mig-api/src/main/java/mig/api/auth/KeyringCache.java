package mig.api.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import mig.common.pgp.Keyring;
import mig.common.pgp.PgpException;
import mig.common.pgp.PublicKey;
import mig.database.InvestigatorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys of active investigators, which tokens and action signatures are checked against.
 *
 * <p>Loaded from the database and kept for five minutes like the original's keyring, but dropped
 * at once when this API creates or changes an investigator ({@link #invalidate()}), so a disabled
 * investigator is refused on the next request. A key that does not parse is left out with a warning
 * rather than locking everyone out. A signature by an unknown key makes callers reload it (at most
 * every few seconds, {@link #reloadIfOlderThan}), so keys registered elsewhere work at once. Also caches API keys proven valid (by a SHA-256 of the key), so
 * PBKDF2 does not run for every investigator on every request; that cache is dropped with the keyring.
 */
public final class KeyringCache {
    private static final Logger LOG = LoggerFactory.getLogger(KeyringCache.class);

    /** How long a loaded keyring is used before it is read again, as the original. */
    public static final Duration TTL = Duration.ofMinutes(5);
    /** A signature by an unknown key reloads a keyring older than this. */
    public static final Duration RELOAD_ON_UNKNOWN_KEY = Duration.ofSeconds(5);

    /** One load: the keyring and, per primary fingerprint, the investigator it belongs to. */
    public record Snapshot(Keyring keyring, Map<String, InvestigatorStore.ActiveKey> byFingerprint, Instant loaded) {
        /** The investigator row id holding this fingerprint's key, if active. */
        public Optional<InvestigatorStore.ActiveKey> investigator(String fingerprint) {
            return Optional.ofNullable(byFingerprint.get(fingerprint.toUpperCase(Locale.ROOT)));
        }
    }

    private final InvestigatorStore investigators;
    private final Clock clock;
    private final Map<String, Long> provenApiKeys = new ConcurrentHashMap<>();
    // Guarded by "this".
    private Snapshot current;

    public KeyringCache(InvestigatorStore investigators, Clock clock) {
        this.investigators = investigators;
        this.clock = clock;
    }

    /** The keyring, read from the database if never loaded, older than {@link #TTL}, or invalidated. */
    public synchronized Snapshot get() {
        Instant now = clock.instant();
        if (current == null || current.loaded().plus(TTL).isBefore(now)) {
            current = load(now);
            provenApiKeys.clear();
        }
        return current;
    }

    /**
     * The keyring, read again first if it was loaded more than {@code minAge} ago: for a signature by
     * a key not in the keyring, which may belong to an investigator registered elsewhere (the console,
     * another API). The minimum age keeps a stream of unknown signatures from reading the database
     * on every request.
     */
    public synchronized Snapshot reloadIfOlderThan(Duration minAge) {
        Instant now = clock.instant();
        if (current == null || current.loaded().plus(minAge).isBefore(now)) {
            current = load(now);
            provenApiKeys.clear();
        }
        return current;
    }

    /** Forgets the keyring and the proven API keys; the next request reads the database again. */
    public synchronized void invalidate() {
        current = null;
        provenApiKeys.clear();
    }

    Optional<Long> provenApiKey(String digest) {
        return Optional.ofNullable(provenApiKeys.get(digest));
    }

    void rememberApiKey(String digest, long investigatorId) {
        provenApiKeys.put(digest, investigatorId);
    }

    private Snapshot load(Instant now) {
        List<PublicKey> keys = new ArrayList<>();
        Map<String, InvestigatorStore.ActiveKey> owners = new java.util.HashMap<>();
        for (InvestigatorStore.ActiveKey k : investigators.activeKeys()) {
            try {
                for (PublicKey pk : Keyring.fromBytes(
                                k.publicKey(), "public key of investigator '" + k.name() + "' (id " + k.id() + ")")
                        .keys()) {
                    keys.add(pk);
                    owners.put(pk.fingerprint(), k);
                }
            } catch (PgpException e) {
                LOG.warn("leaving investigator '{}' (id {}) out of the keyring: {}", k.name(), k.id(), e.getMessage());
            }
        }
        LOG.debug("loaded {} keys of active investigators", keys.size());
        return new Snapshot(Keyring.of(keys), Map.copyOf(owners), now);
    }
}

package mig.common.pgp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable set of public keys that signatures are checked against: the API's active
 * investigators, or the keys an agent trusts.
 *
 * <p>Immutable so one instance can be shared by request threads and swapped atomically when the
 * API refreshes it. Lookup is by the signature's issuer key id, which may name a signing subkey;
 * what comes back is always the whole key, whose primary fingerprint is MIG's signer identity.
 * A key appears once (first one wins when sources overlap).
 */
public final class Keyring {
    private static final Logger LOG = LoggerFactory.getLogger(Keyring.class);
    private static final Keyring EMPTY = new Keyring(List.of());

    private final List<PublicKey> keys;
    private final Map<Long, List<PublicKey>> bySigningKeyId;

    private Keyring(Collection<PublicKey> candidates) {
        Map<String, PublicKey> unique = new LinkedHashMap<>();
        for (PublicKey k : candidates) {
            if (unique.putIfAbsent(k.fingerprint(), k) != null) {
                LOG.debug("key {} given twice, keeping the first copy", k.fingerprint());
            }
        }
        this.keys = List.copyOf(unique.values());
        Map<Long, List<PublicKey>> index = new HashMap<>();
        for (PublicKey k : keys) {
            for (PGPPublicKey signer : k.signingKeys()) {
                index.computeIfAbsent(signer.getKeyID(), id -> new ArrayList<>(1))
                        .add(k);
            }
        }
        index.replaceAll((id, list) -> List.copyOf(list));
        this.bySigningKeyId = Map.copyOf(index);
    }

    public static Keyring empty() {
        return EMPTY;
    }

    public static Keyring of(Collection<PublicKey> keys) {
        return new Keyring(keys);
    }

    /** Every public key in armoured text: one or several blocks, each holding one or more keys. */
    public static Keyring fromArmored(String text) throws PgpException {
        if (text == null || text.isBlank()) {
            throw new PgpException("empty public key text");
        }
        return fromBytes(text.getBytes(StandardCharsets.UTF_8), "public key text");
    }

    /**
     * Every public key in armoured text or in a binary keyring (GnuPG 1 {@code pubring.gpg},
     * {@code gpg --export} output). {@code source} names the origin in error messages.
     */
    public static Keyring fromBytes(byte[] data, String source) throws PgpException {
        List<PublicKey> keys = new ArrayList<>();
        for (PGPPublicKeyRing ring : KeyData.publicRings(data, source)) {
            keys.add(new PublicKey(ring));
        }
        return new Keyring(keys);
    }

    /** A keyring file, armoured or binary. GnuPG 2.1's {@code pubring.kbx} is refused with a hint. */
    public static Keyring fromFile(Path file) throws PgpException {
        return fromBytes(read(file), file.toString());
    }

    /**
     * The agent's key folder rule ({@code /etc/mig/agentkeys/}): every regular file must hold exactly
     * one armoured public key; files that do not are skipped with a warning, not fatal, so one bad
     * file cannot lock every investigator out. Files are read in name order.
     *
     * @throws PgpException only when the folder itself cannot be listed
     */
    public static Keyring fromDirectory(Path dir) throws PgpException {
        if (!Files.isDirectory(dir)) {
            throw new PgpException("key directory " + dir + " does not exist or is not a directory");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.sorted().toList();
        } catch (IOException e) {
            throw new PgpException("cannot list key directory " + dir + ": " + e.getMessage(), e);
        }
        List<PublicKey> keys = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                LOG.warn("ignoring {} in key directory: not a regular file", f);
                continue;
            }
            try {
                byte[] data = read(f);
                if (!Armor.looksArmored(data)) {
                    throw new PgpException("not an armoured public key (export it with 'gpg --export --armor')");
                }
                PublicKey k = PublicKey.single(data, f.toString());
                LOG.info("loaded key {} from {}", k.fingerprint(), f);
                keys.add(k);
            } catch (PgpException e) {
                LOG.warn("ignoring invalid key {}: {}", f, e.getMessage());
            }
        }
        return new Keyring(keys);
    }

    /** A keyring with this one's keys followed by the other's (keys present in both kept once). */
    public Keyring merge(Keyring other) {
        List<PublicKey> all = new ArrayList<>(keys);
        all.addAll(other.keys);
        return new Keyring(all);
    }

    /** The keys, in load order. */
    public List<PublicKey> keys() {
        return keys;
    }

    public int size() {
        return keys.size();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /**
     * The key that has a primary key or subkey matching a 40-hex fingerprint or 16-hex long key id
     * (any case, optional "0x", spaces ignored).
     *
     * @throws IllegalArgumentException if the selector is neither
     */
    public Optional<PublicKey> find(String fingerprintOrKeyId) {
        String sel;
        try {
            sel = Fingerprints.normalizeSelector(fingerprintOrKeyId);
        } catch (PgpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        for (PublicKey k : keys) {
            for (PGPPublicKey pk : k.ring()) {
                if (Fingerprints.matches(pk, sel)) {
                    return Optional.of(k);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a key with this primary fingerprint is present (case-insensitive). */
    public boolean contains(String primaryFingerprint) {
        return primaryFingerprint != null
                && keys.stream().anyMatch(k -> k.fingerprint().equalsIgnoreCase(primaryFingerprint.replace(" ", "")));
    }

    /** Keys having a primary key or bound signing subkey with this id (normally zero or one). */
    List<PublicKey> signersWithKeyId(long keyId) {
        return bySigningKeyId.getOrDefault(keyId, List.of());
    }

    @Override
    public String toString() {
        return "Keyring" + keys.stream().map(PublicKey::fingerprint).toList();
    }

    static byte[] read(Path file) throws PgpException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PgpException("cannot read " + file + ": " + e, e);
        }
    }
}

package mig.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Investigator API keys ({@code X-MIGAPIKEY}), as the original stores them: 32 random alphanumeric
 * characters given to the investigator once; the database keeps only PBKDF2-HMAC-SHA256 of the key
 * (4096 iterations, 32 bytes) and its random 16-byte salt.
 *
 * <p>Keys come from {@link SecureRandom} over the full alphanumeric alphabet (the original used a
 * time-seeded {@code math/rand} and an alphabet missing {@code G}); verification is constant-time.
 *
 * <p>Finding the key without trying every one: the original ran PBKDF2 once per active key on every
 * request, so a stream of wrong keys cost 4096 x (number of keys) HMACs each. Keys issued now have
 * a salt that starts with {@code "MIGK"} and the key's first {@value #KEY_ID_LENGTH} characters (its
 * non-secret id; the other 24 characters, 142 bits, stay secret), so the API fetches the one row
 * with that id and derives once. The hash is still PBKDF2 of the whole key with the whole salt, so
 * the original API accepts these keys too. Keys issued before have a random salt and are found by
 * the old scan, then re-salted on first use.
 */
public final class ApiKeys {
    public static final int KEY_LENGTH = 32;
    public static final int HASH_LENGTH = 32;
    public static final int SALT_LENGTH = 16;
    public static final int ITERATIONS = 4096;

    /** How many leading characters of a key form its non-secret id. */
    public static final int KEY_ID_LENGTH = 8;

    private static final byte[] SALT_MARK = "MIGK".getBytes(StandardCharsets.US_ASCII);
    /** Length of a salt that carries a key id: mark, id, random part. */
    public static final int ID_SALT_LENGTH = SALT_MARK.length + KEY_ID_LENGTH + SALT_LENGTH;

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong DERIVATIONS = new AtomicLong();

    private ApiKeys() {}

    /** A key and what to store for it. */
    public record Issued(String key, byte[] hash, byte[] salt) {}

    /** A fresh key with a fresh salt. */
    public static Issued issue() {
        StringBuilder key = new StringBuilder(KEY_LENGTH);
        for (int i = 0; i < KEY_LENGTH; i++) {
            key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return salted(key.toString());
    }

    /** The hash and a fresh id-carrying salt for {@code key} (new keys, and old keys re-salted on use). */
    public static Issued salted(String key) {
        byte[] random = new byte[SALT_LENGTH];
        RANDOM.nextBytes(random);
        byte[] prefix = saltPrefix(key);
        byte[] salt = new byte[prefix.length + random.length];
        System.arraycopy(prefix, 0, salt, 0, prefix.length);
        System.arraycopy(random, 0, salt, prefix.length, random.length);
        return new Issued(key, hash(key, salt, HASH_LENGTH), salt);
    }

    /**
     * What the salt of {@code key} starts with if it was issued with an id ({@code "MIGK"} and the
     * first {@value #KEY_ID_LENGTH} characters), or null when the text cannot be such a key.
     */
    public static byte[] saltPrefix(String key) {
        if (key.length() < KEY_ID_LENGTH) {
            return null;
        }
        String id = key.substring(0, KEY_ID_LENGTH);
        for (int i = 0; i < id.length(); i++) {
            if (ALPHABET.indexOf(id.charAt(i)) < 0) {
                return null;
            }
        }
        byte[] out = new byte[SALT_MARK.length + KEY_ID_LENGTH];
        System.arraycopy(SALT_MARK, 0, out, 0, SALT_MARK.length);
        System.arraycopy(id.getBytes(StandardCharsets.US_ASCII), 0, out, SALT_MARK.length, KEY_ID_LENGTH);
        return out;
    }

    /** The salt's leading mark of id-carrying salts ({@code "MIGK"}), for finding the keys issued before them. */
    public static byte[] saltMark() {
        return SALT_MARK.clone();
    }

    /** PBKDF2-HMAC-SHA256 of the key's bytes, as Go's {@code pbkdf2.Key(key, salt, 4096, length, sha256.New)}. */
    public static byte[] hash(String key, byte[] salt, int length) {
        DERIVATIONS.incrementAndGet();
        PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SHA256Digest());
        gen.init(key.getBytes(StandardCharsets.UTF_8), salt, ITERATIONS);
        return ((KeyParameter) gen.generateDerivedParameters(length * 8)).getKey();
    }

    /** How many PBKDF2 derivations this process made (each is 4096 HMACs): what a failed attempt costs. */
    public static long derivations() {
        return DERIVATIONS.get();
    }

    /** Whether {@code key} hashes to {@code storedHash} with {@code salt}. */
    public static boolean matches(String key, byte[] salt, byte[] storedHash) {
        if (key.isEmpty() || storedHash == null || storedHash.length == 0 || salt == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(key, salt, storedHash.length), storedHash);
    }
}

package mig.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
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
 */
public final class ApiKeys {
    public static final int KEY_LENGTH = 32;
    public static final int HASH_LENGTH = 32;
    public static final int SALT_LENGTH = 16;
    public static final int ITERATIONS = 4096;

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** A key and what to store for it. */
    public record Issued(String key, byte[] hash, byte[] salt) {
    }

    /** A fresh key with a fresh salt. */
    public static Issued issue() {
        StringBuilder key = new StringBuilder(KEY_LENGTH);
        for (int i = 0; i < KEY_LENGTH; i++) {
            key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return new Issued(key.toString(), hash(key.toString(), salt, HASH_LENGTH), salt);
    }

    /** PBKDF2-HMAC-SHA256 of the key's bytes, as Go's {@code pbkdf2.Key(key, salt, 4096, length, sha256.New)}. */
    public static byte[] hash(String key, byte[] salt, int length) {
        PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SHA256Digest());
        gen.init(key.getBytes(StandardCharsets.UTF_8), salt, ITERATIONS);
        return ((KeyParameter) gen.generateDerivedParameters(length * 8)).getKey();
    }

    /** Whether {@code key} hashes to {@code storedHash} with {@code salt}. */
    public static boolean matches(String key, byte[] salt, byte[] storedHash) {
        if (key.isEmpty() || storedHash == null || storedHash.length == 0 || salt == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(key, salt, storedHash.length), storedHash);
    }
}

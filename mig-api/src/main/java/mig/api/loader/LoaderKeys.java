package mig.api.loader;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;
import mig.api.auth.ApiKeys;
import mig.api.auth.Caller;
import mig.database.loader.LoaderStore;

/**
 * Loader keys ({@code X-LOADERKEY}), as the original issues and checks them: 8 characters of
 * prefix, which finds the loader row, then 32 characters of key; the database keeps the prefix and
 * PBKDF2-HMAC-SHA256 (4096 iterations, 32 bytes) of the 32-character part with a random 16-byte
 * salt, so a key is checked with one derivation. Keys come from {@link SecureRandom} over the whole
 * alphanumeric alphabet (the original used a time-seeded {@code math/rand}).
 */
public final class LoaderKeys {
    public static final int PREFIX_LENGTH = 8;
    public static final int KEY_LENGTH = 32;
    public static final int SALT_LENGTH = 16;
    public static final int HASH_LENGTH = 32;

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final Pattern WHOLE = Pattern.compile("[A-Za-z0-9]{" + (PREFIX_LENGTH + KEY_LENGTH) + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LoaderStore loaders;

    public LoaderKeys(LoaderStore loaders) {
        this.loaders = loaders;
    }

    /** A fresh key part (or prefix) of {@code length} characters. */
    static String random(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    /** The hash and salt to store for a key part. */
    record Hashed(byte[] hash, byte[] salt) {}

    static Hashed hash(String keyPart) {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return new Hashed(ApiKeys.hash(keyPart, salt, HASH_LENGTH), salt);
    }

    /**
     * Who presents this {@code X-LOADERKEY}: the enabled loader whose prefix and key match, or empty.
     */
    public Optional<Caller> authenticate(String header) {
        if (header == null || !WHOLE.matcher(header).matches()) {
            return Optional.empty();
        }
        Optional<LoaderStore.AuthDetails> details = loaders.authDetails(header.substring(0, PREFIX_LENGTH));
        if (details.isEmpty()) {
            return Optional.empty();
        }
        LoaderStore.AuthDetails d = details.get();
        if (d.hash() == null || d.hash().length != HASH_LENGTH || d.salt() == null || d.salt().length != SALT_LENGTH) {
            return Optional.empty();
        }
        byte[] tried = ApiKeys.hash(header.substring(PREFIX_LENGTH), d.salt(), HASH_LENGTH);
        if (!MessageDigest.isEqual(tried, d.hash())) {
            return Optional.empty();
        }
        String name = loaders.name(d.id()).orElse("");
        return Optional.of(new Caller(Caller.Category.LOADER, name, d.id(), java.util.Set.of(), ""));
    }
}

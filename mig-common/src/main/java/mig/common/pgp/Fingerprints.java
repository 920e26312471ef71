package mig.common.pgp;

import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * How MIG writes key identities: a v4 fingerprint as 40 uppercase hex digits (what the original
 * stores in {@code investigators.pgpfingerprint} and prints), a key id as 16 uppercase hex digits.
 *
 * <p>Also parses what a user types to select a key ({@code keyid} in {@code ~/.migrc}): a fingerprint
 * or a long key id, any case, with an optional {@code 0x} prefix and the spaces gpg prints.
 */
public final class Fingerprints {
    private static final HexFormat UPPER = HexFormat.of().withUpperCase();

    private Fingerprints() {}

    /** The fingerprint of this exact key (primary or subkey) as 40 uppercase hex digits. */
    public static String of(PGPPublicKey key) {
        return UPPER.formatHex(key.getFingerprint());
    }

    /** A 64-bit key id as 16 uppercase hex digits. */
    public static String keyId(long keyId) {
        return UPPER.toHexDigits(keyId);
    }

    /**
     * Normalises a key selector to uppercase hex without prefix or spaces.
     *
     * @throws PgpException unless it is 40 hex digits (fingerprint) or 16 hex digits (long key id)
     */
    static String normalizeSelector(String selector) throws PgpException {
        if (selector == null) {
            throw new PgpException("no key id given: expected a 40-hex fingerprint or a 16-hex long key id");
        }
        String s = selector.replace(" ", "").strip();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            s = s.substring(2);
        }
        s = s.toUpperCase(Locale.ROOT);
        boolean hex = !s.isEmpty() && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'));
        if (!hex || (s.length() != 40 && s.length() != 16)) {
            throw new PgpException(
                    "invalid key id '" + selector + "': expected a 40-hex fingerprint or a 16-hex long key id");
        }
        return s;
    }

    /** Whether this key is the one a normalised selector names. */
    static boolean matches(PGPPublicKey key, String normalizedSelector) {
        return normalizedSelector.length() == 40
                ? of(key).equals(normalizedSelector)
                : keyId(key.getKeyID()).equals(normalizedSelector);
    }
}

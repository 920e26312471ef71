package mig.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import mig.api.auth.ApiKeys;
import org.junit.jupiter.api.Test;

/** API keys stored as the original stores them: PBKDF2-HMAC-SHA256, 4096 iterations, 32 bytes. */
class ApiKeysTest {

    @Test
    void hashesLikeGosPbkdf2() {
        byte[] salt = new byte[16];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) i;
        }
        // Python: hashlib.pbkdf2_hmac('sha256', b'abcdefghijklmnopqrstuvwxyzABCDEF', bytes(range(16)), 4096, 32)
        assertEquals(
                "756fb41f775da7bc14782ba706d1d5dba47d3f80a4846256dd51de5c9ee144fb",
                HexFormat.of().formatHex(ApiKeys.hash("abcdefghijklmnopqrstuvwxyzABCDEF", salt, 32)));
    }

    @Test
    void issuedKeysAreRandomAlphanumericAndVerify() {
        ApiKeys.Issued a = ApiKeys.issue();
        ApiKeys.Issued b = ApiKeys.issue();
        assertTrue(a.key().matches("[A-Za-z0-9]{32}"), a.key());
        assertNotEquals(a.key(), b.key());
        // "MIGK", the key's 8-character id, 16 random bytes
        assertEquals(28, a.salt().length);
        assertArrayEquals(ApiKeys.saltPrefix(a.key()), java.util.Arrays.copyOf(a.salt(), 12));
        assertTrue(ApiKeys.matches(a.key(), a.salt(), a.hash()));
        assertFalse(ApiKeys.matches(b.key(), a.salt(), a.hash()));
        assertFalse(ApiKeys.matches("", a.salt(), a.hash()));
    }
}

package mig.api;

import mig.common.pgp.KeyGen;

/** Investigator keys made once per test JVM (RSA generation takes up to a second here). */
final class TestKeys {
    private static KeyGen.Generated alice;
    private static KeyGen.Generated bob;
    private static KeyGen.Generated mallory;

    private TestKeys() {}

    static synchronized KeyGen.Generated alice() {
        if (alice == null) {
            alice = KeyGen.rsa("Alice Investigator <alice@example.net>", 2048);
        }
        return alice;
    }

    static synchronized KeyGen.Generated bob() {
        if (bob == null) {
            bob = KeyGen.rsa("Bob Investigator <bob@example.net>", 2048);
        }
        return bob;
    }

    /** A key no investigator registers. */
    static synchronized KeyGen.Generated mallory() {
        if (mallory == null) {
            mallory = KeyGen.rsa("Mallory <mallory@example.net>", 2048);
        }
        return mallory;
    }
}

package mig.common.pgp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Shared test fixtures: recorded vectors from the classpath, and generated keys made once per test
 * JVM because RSA generation costs up to a second on the build machine.
 */
final class TestKeys {
    static final String INVESTIGATOR_FPR = "D903231F7344F6E566A76688DE59C102AF729558";
    static final String INVESTIGATOR_KEYID = "DE59C102AF729558";

    private static KeyGen.Generated rsa;
    private static KeyGen.Generated rsa2;
    private static KeyGen.Generated ed;

    private TestKeys() {}

    static synchronized KeyGen.Generated rsa() {
        if (rsa == null) {
            rsa = KeyGen.rsa("Alice Investigator <alice@example.net>", 2048);
        }
        return rsa;
    }

    static synchronized KeyGen.Generated otherRsa() {
        if (rsa2 == null) {
            rsa2 = KeyGen.rsa("Bob Investigator <bob@example.net>", 2048);
        }
        return rsa2;
    }

    static synchronized KeyGen.Generated ed25519() {
        if (ed == null) {
            ed = KeyGen.ed25519("Carol Investigator <carol@example.net>");
        }
        return ed;
    }

    static Keyring keyringOf(KeyGen.Generated... keys) {
        Keyring k = Keyring.empty();
        for (KeyGen.Generated g : keys) {
            k = k.merge(Keyring.of(List.of(g.secretKey().publicKey())));
        }
        return k;
    }

    static String resource(String name) {
        return new String(resourceBytes(name), StandardCharsets.UTF_8);
    }

    static byte[] resourceBytes(String name) {
        try (InputStream in = TestKeys.class.getResourceAsStream("/pgp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource /pgp/" + name + " missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Keyring investigatorKeyring() throws PgpException {
        return Keyring.fromArmored(resource("investigator-pubkey.asc"));
    }

    /**
     * The same packets with an OpenPGP trust packet (tag 12) after each one, as GnuPG 1 stores keys in
     * pubring.gpg and secring.gpg (gpg 2.2 has no way left to write that format).
     */
    static byte[] withGnupg1TrustPackets(byte[] packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = 0;
        while (p < packets.length) {
            int start = p;
            int header = packets[p++] & 0xFF;
            long length;
            if ((header & 0x40) != 0) {
                int b = packets[p++] & 0xFF;
                if (b < 192) {
                    length = b;
                } else if (b < 224) {
                    length = ((b - 192) << 8) + (packets[p++] & 0xFF) + 192;
                } else if (b == 255) {
                    length = readBigEndian(packets, p, 4);
                    p += 4;
                } else {
                    throw new IllegalArgumentException("partial body length in a key packet");
                }
            } else {
                int n = new int[] {1, 2, 4, 0}[header & 3];
                if (n == 0) {
                    throw new IllegalArgumentException("indeterminate length in a key packet");
                }
                length = readBigEndian(packets, p, n);
                p += n;
            }
            p += (int) length;
            out.write(packets, start, p - start);
            out.writeBytes(new byte[] {(byte) 0xB0, 2, 0, 0});
        }
        return out.toByteArray();
    }

    private static long readBigEndian(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}

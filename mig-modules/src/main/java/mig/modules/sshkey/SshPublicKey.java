package mig.modules.sshkey;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * An SSH public key parsed and written back as the original's {@code golang.org/x/crypto/ssh}
 * (the version the original vendored) did: {@code ssh-rsa}, {@code ssh-dss},
 * {@code ecdsa-sha2-nistp256/384/521} and {@code ssh-ed25519} blobs. Fingerprints are taken over
 * the key written back ({@code Marshal()}), not over the bytes read, as Go's are. Certificates
 * ({@code *-cert-v01@openssh.com}) are not parsed: they count as unparsable data.
 *
 * @param wire the key as Go's {@code Marshal()} writes it
 */
record SshPublicKey(byte[] wire) {

    /** Go's {@code FingerprintLegacyMD5}: lowercase hex pairs joined by colons. */
    String md5() {
        byte[] d = digest("MD5");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HexFormat.of().toHexDigits(d[i]));
        }
        return sb.toString();
    }

    /** Go's {@code FingerprintSHA256}: {@code SHA256:} and unpadded base64. */
    String sha256() {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest("SHA-256"));
    }

    private byte[] digest(String algo) {
        try {
            return MessageDigest.getInstance(algo).digest(wire);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algo + " is in every JDK", e);
        }
    }

    /** Thrown for a blob Go's {@code ParsePublicKey} refuses. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    /** Go's {@code ParsePublicKey}: the whole blob must be one key, no trailing bytes. */
    static SshPublicKey parse(byte[] blob) throws Invalid {
        Reader r = new Reader(blob);
        String algo = new String(r.string(), StandardCharsets.ISO_8859_1);
        SshPublicKey key = switch (algo) {
            case "ssh-rsa" -> {
                BigInteger e = r.mpint();
                BigInteger n = r.mpint();
                if (e.bitLength() > 24) {
                    throw new Invalid("ssh: exponent too large");
                }
                long ev = e.longValue();
                if (ev < 3 || (ev & 1) == 0) {
                    throw new Invalid("ssh: incorrect exponent");
                }
                yield rsa(e, n);
            }
            case "ssh-dss" -> dsa(r.mpint(), r.mpint(), r.mpint(), r.mpint());
            case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" -> {
                String curve = new String(r.string(), StandardCharsets.ISO_8859_1);
                yield ecdsa(curve, r.string());
            }
            case "ssh-ed25519" -> ed25519(r.string());
            default -> throw new Invalid("ssh: unknown key algorithm: " + algo);
        };
        if (r.remaining() > 0) {
            throw new Invalid("ssh: trailing junk in public key");
        }
        return key;
    }

    static SshPublicKey rsa(BigInteger e, BigInteger n) {
        return new SshPublicKey(new Writer().string("ssh-rsa").mpint(e).mpint(n).bytes());
    }

    static SshPublicKey dsa(BigInteger p, BigInteger q, BigInteger g, BigInteger y) {
        return new SshPublicKey(new Writer()
                .string("ssh-dss")
                .mpint(p)
                .mpint(q)
                .mpint(g)
                .mpint(y)
                .bytes());
    }

    static SshPublicKey ed25519(byte[] key) {
        return new SshPublicKey(new Writer().string("ssh-ed25519").string(key).bytes());
    }

    /** Go's {@code elliptic.Unmarshal}: an uncompressed point of the curve's size, on the curve. */
    static SshPublicKey ecdsa(String curve, byte[] point) throws Invalid {
        X9ECParameters params = curveParams(curve);
        if (params == null) {
            throw new Invalid("ssh: unsupported curve");
        }
        int size = (params.getCurve().getFieldSize() + 7) / 8;
        if (point.length != 1 + 2 * size || point[0] != 4) {
            throw new Invalid("ssh: invalid curve point");
        }
        try {
            ECPoint p = params.getCurve().decodePoint(point);
            if (!p.isValid()) {
                throw new Invalid("ssh: invalid curve point");
            }
        } catch (IllegalArgumentException e) {
            throw new Invalid("ssh: invalid curve point");
        }
        return ecdsaPoint(curve, point);
    }

    static SshPublicKey ecdsaPoint(String curve, byte[] uncompressed) {
        return new SshPublicKey(new Writer()
                .string("ecdsa-sha2-" + curve)
                .string(curve)
                .string(uncompressed)
                .bytes());
    }

    static X9ECParameters curveParams(String sshCurve) {
        return switch (sshCurve) {
            case "nistp256" -> ECNamedCurveTable.getByName("P-256");
            case "nistp384" -> ECNamedCurveTable.getByName("P-384");
            case "nistp521" -> ECNamedCurveTable.getByName("P-521");
            default -> null;
        };
    }

    /** SSH wire reading ({@code uint32}, {@code string}, {@code mpint}), short reads refused as Go does. */
    static final class Reader {
        private final ByteBuffer b;

        Reader(byte[] data) {
            b = ByteBuffer.wrap(data);
        }

        int remaining() {
            return b.remaining();
        }

        int oneByte() {
            return b.get() & 0xff;
        }

        long uint32() throws Invalid {
            if (b.remaining() < 4) {
                throw new Invalid("ssh: short read");
            }
            return b.getInt() & 0xffffffffL;
        }

        byte[] string() throws Invalid {
            long n = uint32();
            if (n > b.remaining()) {
                throw new Invalid("ssh: short read");
            }
            byte[] out = new byte[(int) n];
            b.get(out);
            return out;
        }

        /** Go's {@code parseInt}: two's complement, empty is zero. */
        BigInteger mpint() throws Invalid {
            byte[] s = string();
            return s.length == 0 ? BigInteger.ZERO : new BigInteger(s);
        }
    }

    /** SSH wire writing as Go's {@code Marshal}. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer string(String s) {
            return string(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        Writer string(byte[] s) {
            out.write(s.length >>> 24);
            out.write(s.length >>> 16);
            out.write(s.length >>> 8);
            out.write(s.length);
            out.writeBytes(s);
            return this;
        }

        /** Go's {@code marshalInt}: zero is the empty string, otherwise minimal two's complement. */
        Writer mpint(BigInteger n) {
            return string(n.signum() == 0 ? new byte[0] : n.toByteArray());
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}

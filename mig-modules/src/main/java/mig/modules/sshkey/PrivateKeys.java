package mig.modules.sshkey;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * The original's {@code ssh.ParsePrivateKey} (the vendored {@code x/crypto/ssh}): the first PEM
 * block of the file ({@code encoding/pem}'s {@code Decode}); an encrypted one (a {@code Proc-Type}
 * header saying ENCRYPTED, or an OpenSSH key with a cipher) is "encrypted" without a fingerprint;
 * otherwise {@code RSA PRIVATE KEY}, {@code DSA PRIVATE KEY}, {@code EC PRIVATE KEY} (P-256/384/521)
 * and {@code OPENSSH PRIVATE KEY} (RSA and Ed25519) keys give their public key. Anything else
 * (PKCS#8 {@code PRIVATE KEY} included, which that version did not read) is not a private key.
 */
final class PrivateKeys {

    /** A private key: its public key, or null when it is encrypted. */
    record Found(SshPublicKey publicKey) {
        boolean encrypted() {
            return publicKey == null;
        }
    }

    record Pem(String type, Map<String, String> headers, byte[] bytes) {}

    private PrivateKeys() {}

    /** The private key in {@code file}, or null when Go's ParsePrivateKey would have failed for another reason. */
    static Found parse(byte[] file) {
        Pem pem = decodePem(file);
        if (pem == null) {
            return null;
        }
        if (pem.headers().getOrDefault("Proc-Type", "").contains("ENCRYPTED")) {
            return new Found(null);
        }
        try {
            return switch (pem.type()) {
                case "RSA PRIVATE KEY" -> new Found(rsa(pem.bytes()));
                case "DSA PRIVATE KEY" -> new Found(dsa(pem.bytes()));
                case "EC PRIVATE KEY" -> new Found(ec(pem.bytes()));
                case "OPENSSH PRIVATE KEY" -> openssh(pem.bytes());
                default -> null;
            };
        } catch (RuntimeException | java.io.IOException | SshPublicKey.Invalid e) {
            return null; // malformed DER or wire data: Go's parser returned an error
        }
    }

    /** x509.ParsePKCS1PrivateKey and its Validate(): the primes make N and d inverts e modulo each p-1. */
    private static SshPublicKey rsa(byte[] der) throws java.io.IOException, SshPublicKey.Invalid {
        RSAPrivateKey k = RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(exact(der)));
        if (k.getVersion().signum() != 0 && !k.getVersion().equals(BigInteger.ONE)) {
            throw new SshPublicKey.Invalid("x509: unsupported private key version");
        }
        BigInteger n = k.getModulus();
        BigInteger e = k.getPublicExponent();
        BigInteger d = k.getPrivateExponent();
        BigInteger p = k.getPrime1();
        BigInteger q = k.getPrime2();
        if (n.signum() <= 0
                || d.signum() <= 0
                || p.signum() <= 0
                || q.signum() <= 0
                || p.compareTo(BigInteger.ONE) <= 0
                || q.compareTo(BigInteger.ONE) <= 0
                || !p.multiply(q).equals(n)
                || e.compareTo(BigInteger.TWO) < 0
                || e.bitLength() > 31) {
            throw new SshPublicKey.Invalid("crypto/rsa: invalid key");
        }
        BigInteger de = d.multiply(e);
        for (BigInteger prime : new BigInteger[] {p, q}) {
            if (!de.mod(prime.subtract(BigInteger.ONE)).equals(BigInteger.ONE)) {
                throw new SshPublicKey.Invalid("crypto/rsa: invalid exponents");
            }
        }
        return SshPublicKey.rsa(e, n);
    }

    /** ssh.ParseDSAPrivateKey: version, p, q, g, y, x. */
    private static SshPublicKey dsa(byte[] der) throws java.io.IOException {
        ASN1Sequence s = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(exact(der)));
        if (s.size() != 6) {
            throw new IllegalArgumentException("DSA key has " + s.size() + " fields");
        }
        BigInteger[] v = new BigInteger[6];
        for (int i = 0; i < 6; i++) {
            v[i] = ASN1Integer.getInstance(s.getObjectAt(i)).getValue();
        }
        return SshPublicKey.dsa(v[1], v[2], v[3], v[4]);
    }

    /** x509.ParseECPrivateKey; the public point is computed from the scalar, as Go does. */
    private static SshPublicKey ec(byte[] der) throws java.io.IOException, SshPublicKey.Invalid {
        ECPrivateKey k = ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(exact(der)));
        ASN1ObjectIdentifier oid = ASN1ObjectIdentifier.getInstance(k.getParametersObject());
        String curve = switch (oid.getId()) {
            case "1.2.840.10045.3.1.7" -> "nistp256";
            case "1.3.132.0.34" -> "nistp384";
            case "1.3.132.0.35" -> "nistp521";
            default -> throw new SshPublicKey.Invalid("ssh: unsupported curve");
        };
        X9ECParameters params = SshPublicKey.curveParams(curve);
        BigInteger d = k.getKey();
        if (d.signum() <= 0 || d.compareTo(params.getN()) >= 0) {
            throw new SshPublicKey.Invalid("x509: invalid elliptic curve private key value");
        }
        byte[] point = params.getG().multiply(d).normalize().getEncoded(false);
        return SshPublicKey.ecdsaPoint(curve, point);
    }

    /** The vendored parseOpenSSHPrivateKey: unencrypted RSA and Ed25519 keys only. */
    private static Found openssh(byte[] key) throws SshPublicKey.Invalid {
        byte[] magic = "openssh-key-v1\0".getBytes(StandardCharsets.ISO_8859_1);
        if (key.length < magic.length || !Arrays.equals(magic, Arrays.copyOf(key, magic.length))) {
            return null;
        }
        SshPublicKey.Reader r = new SshPublicKey.Reader(Arrays.copyOfRange(key, magic.length, key.length));
        String cipher = new String(r.string(), StandardCharsets.ISO_8859_1);
        String kdf = new String(r.string(), StandardCharsets.ISO_8859_1);
        r.string();
        r.uint32();
        r.string();
        byte[] priv = r.string();
        if (!kdf.equals("none") || !cipher.equals("none")) {
            return new Found(null);
        }
        SshPublicKey.Reader p = new SshPublicKey.Reader(priv);
        if (p.uint32() != p.uint32()) {
            return null;
        }
        String type = new String(p.string(), StandardCharsets.ISO_8859_1);
        switch (type) {
            case "ssh-rsa" -> {
                BigInteger n = p.mpint();
                BigInteger e = p.mpint();
                p.mpint();
                p.mpint();
                p.mpint();
                p.mpint();
                p.string();
                checkPadding(p);
                return new Found(SshPublicKey.rsa(e, n));
            }
            case "ssh-ed25519" -> {
                byte[] pub = p.string();
                byte[] privKey = p.string();
                p.string();
                checkPadding(p);
                if (privKey.length != 64) {
                    return null;
                }
                // Go takes the public key from the private key's second half
                return new Found(SshPublicKey.ed25519(Arrays.copyOfRange(privKey, 32, 64)));
            }
            default -> {
                return null;
            }
        }
    }

    private static void checkPadding(SshPublicKey.Reader p) throws SshPublicKey.Invalid {
        // the padding is 1, 2, 3, ...
        int i = 1;
        while (p.remaining() > 0) {
            if (p.oneByte() != i++) {
                throw new SshPublicKey.Invalid("ssh: padding not as expected");
            }
        }
    }

    /** Go's asn1.Unmarshal refuses trailing data after the key. */
    private static byte[] exact(byte[] der) throws java.io.IOException {
        ASN1Primitive prim = ASN1Primitive.fromByteArray(der);
        if (prim.getEncoded().length != der.length) {
            throw new java.io.IOException("asn1: syntax error: trailing data");
        }
        return der;
    }

    /**
     * Go's {@code pem.Decode}: the first well-formed block, trying again after a malformed one.
     */
    static Pem decodePem(byte[] data) {
        String s = new String(data, StandardCharsets.ISO_8859_1);
        int from = 0;
        while (true) {
            int begin;
            if (from == 0 && s.startsWith("-----BEGIN ")) {
                begin = 0;
            } else {
                int i = s.indexOf("\n-----BEGIN ", from == 0 ? 0 : from - 1);
                if (i < 0) {
                    return null;
                }
                begin = i + 1;
            }
            int afterBegin = begin + "-----BEGIN ".length();
            Pem p = decodeAt(s, afterBegin);
            if (p != null) {
                return p;
            }
            from = afterBegin;
        }
    }

    private static Pem decodeAt(String s, int pos) {
        int[] next = new int[1];
        String typeLine = line(s, pos, next);
        if (!typeLine.endsWith("-----")) {
            return null;
        }
        String type = typeLine.substring(0, typeLine.length() - 5);
        Map<String, String> headers = new HashMap<>();
        int rest = next[0];
        while (true) {
            if (rest >= s.length()) {
                return null;
            }
            String l = line(s, rest, next);
            int colon = l.indexOf(':');
            if (colon < 0) {
                break;
            }
            headers.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
            rest = next[0];
        }
        int endIndex;
        int trailer;
        if (headers.isEmpty() && s.startsWith("-----END ", rest)) {
            endIndex = rest;
            trailer = rest + "-----END ".length();
        } else {
            int i = s.indexOf("\n-----END ", rest);
            if (i < 0) {
                return null;
            }
            endIndex = i;
            trailer = i + "\n-----END ".length();
        }
        String want = type + "-----";
        if (!s.startsWith(want, trailer)) {
            return null;
        }
        if (!line(s, trailer + want.length(), next).isEmpty()) {
            return null;
        }
        StringBuilder b64 = new StringBuilder();
        for (int i = rest; i < endIndex; i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                b64.append(c);
            }
        }
        try {
            return new Pem(type, headers, Base64.getDecoder().decode(b64.toString()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Go's pem getLine: up to the newline, trailing spaces, tabs and CRs cut; next = after the newline. */
    private static String line(String s, int pos, int[] next) {
        int nl = s.indexOf('\n', pos);
        int end = nl < 0 ? s.length() : nl;
        next[0] = nl < 0 ? s.length() : nl + 1;
        int e = end;
        while (e > pos && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t' || s.charAt(e - 1) == '\r')) {
            e--;
        }
        return s.substring(Math.min(pos, e), e);
    }
}

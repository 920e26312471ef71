package mig.common.pgp;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.RSAPublicBCPGKey;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * Writes the RSA value of OpenPGP signature packets at the full length of the key's modulus.
 *
 * <p>Why: RFC 4880 MPIs drop leading zero bytes, so about 1 RSA signature in 256 is one byte (or
 * more) shorter than the modulus, and Bouncy Castle writes it that way. The original's vendored
 * golang.org/x/crypto/openpgp hands the MPI's bytes unchanged to {@code rsa.VerifyPKCS1v15}, which
 * refuses a value shorter than the key ("openpgp: invalid signature: RSA verification failure"):
 * original agents would drop one of our actions in 256, an original API one token in 256, and
 * reading one of our keys fails when its self-signature is short.
 *
 * <p>The fix writes the value as the original's own signer does (x/crypto/openpgp
 * {@code Signature.Sign}: {@code bitLength = 8 * len(bytes)} over the k-byte PKCS #1 output), i.e. the
 * bit count of the modulus's byte length followed by the zero-padded value. Go reads
 * {@code (bitLength + 7) / 8} bytes; GnuPG (libgcrypt) and Bouncy Castle read the bytes as an unsigned
 * integer, so a leading zero does not change the value any of them checks.
 */
final class FullLengthMpi {
    private static final int SIGNATURE_TAG = 2;

    private FullLengthMpi() {}

    /** The byte length of the key's RSA modulus, or 0 when the key is not RSA. */
    static int rsaModulusBytes(PGPPublicKey key) {
        int alg = key.getAlgorithm();
        if ((alg != PublicKeyAlgorithmTags.RSA_GENERAL && alg != PublicKeyAlgorithmTags.RSA_SIGN)
                || !(key.getPublicKeyPacket().getKey() instanceof RSAPublicBCPGKey rsa)) {
            return 0;
        }
        return (rsa.getModulus().bitLength() + 7) / 8;
    }

    /** {@link #pad(byte[], PGPPublicKey)} for the signatures the key made. */
    static byte[] pad(byte[] packets, PGPPublicKey signer) {
        return pad(packets, rsaModulusBytes(signer), signer.getKeyID());
    }

    /**
     * Rewrites every v4 RSA signature packet of a packet stream that names {@code issuerKeyId} as its
     * issuer and whose value is shorter than {@code modulusBytes}; every other packet (a third party's
     * certification, whose key length is unknown here, included) is copied byte for byte. A stream
     * it cannot walk (partial lengths, truncated data) is returned unchanged: padding is a courtesy
     * to old verifiers, never a reason to refuse to sign.
     */
    static byte[] pad(byte[] packets, int modulusBytes, long issuerKeyId) {
        if (modulusBytes <= 0) {
            return packets;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(packets.length + 8);
        int i = 0;
        boolean changed = false;
        while (i < packets.length) {
            int start = i;
            int b0 = packets[i++] & 0xFF;
            if ((b0 & 0x80) == 0) {
                return packets;
            }
            boolean newFormat = (b0 & 0x40) != 0;
            int tag;
            long len;
            if (newFormat) {
                tag = b0 & 0x3F;
                if (i >= packets.length) {
                    return packets;
                }
                int l1 = packets[i++] & 0xFF;
                if (l1 < 192) {
                    len = l1;
                } else if (l1 < 224) {
                    if (i >= packets.length) {
                        return packets;
                    }
                    len = ((l1 - 192) << 8) + (packets[i++] & 0xFF) + 192;
                } else if (l1 == 255) {
                    if (i + 4 > packets.length) {
                        return packets;
                    }
                    len = readUnsigned(packets, i, 4);
                    i += 4;
                } else {
                    return packets; // partial body lengths: not a signature we made
                }
            } else {
                tag = (b0 >> 2) & 0x0F;
                int lengthType = b0 & 0x03;
                if (lengthType == 3) {
                    len = packets.length - i;
                } else {
                    int n = 1 << lengthType;
                    if (i + n > packets.length) {
                        return packets;
                    }
                    len = readUnsigned(packets, i, n);
                    i += n;
                }
            }
            if (len > packets.length - i) {
                return packets;
            }
            byte[] body = Arrays.copyOfRange(packets, i, i + (int) len);
            i += (int) len;
            byte[] padded = tag == SIGNATURE_TAG ? padSignatureBody(body, modulusBytes, issuerKeyId) : null;
            if (padded == null) {
                out.write(packets, start, i - start);
            } else {
                writeHeader(out, newFormat, tag, padded.length);
                out.writeBytes(padded);
                changed = true;
            }
        }
        return changed ? out.toByteArray() : packets;
    }

    /** The body with its RSA value at full length, or null when it needs no change. */
    private static byte[] padSignatureBody(byte[] body, int modulusBytes, long issuerKeyId) {
        // v4: version, type, public-key algorithm, hash algorithm, hashed and unhashed subpackets,
        // two bytes of the hash, then the algorithm's MPIs (RSA: exactly one, to the end)
        if (body.length < 6 || body[0] != 4) {
            return null;
        }
        int alg = body[2] & 0xFF;
        if (alg != PublicKeyAlgorithmTags.RSA_GENERAL && alg != PublicKeyAlgorithmTags.RSA_SIGN) {
            return null;
        }
        int p = 4;
        int hashed = (int) readUnsigned(body, p, 2);
        long issuer = issuer(body, p + 2, Math.min(body.length, p + 2 + hashed));
        p += 2 + hashed;
        if (p + 2 > body.length) {
            return null;
        }
        int unhashed = (int) readUnsigned(body, p, 2);
        if (issuer == 0) {
            issuer = issuer(body, p + 2, Math.min(body.length, p + 2 + unhashed));
        }
        if (issuer != issuerKeyId) {
            return null;
        }
        p += 2 + unhashed + 2;
        if (p + 2 > body.length) {
            return null;
        }
        int mpiBytes = body.length - p - 2;
        int bits = (int) readUnsigned(body, p, 2);
        if ((bits + 7) / 8 != mpiBytes || mpiBytes >= modulusBytes) {
            return null;
        }
        byte[] padded = new byte[p + 2 + modulusBytes];
        System.arraycopy(body, 0, padded, 0, p);
        padded[p] = (byte) ((modulusBytes * 8) >> 8);
        padded[p + 1] = (byte) (modulusBytes * 8);
        System.arraycopy(body, p + 2, padded, padded.length - mpiBytes, mpiBytes);
        return padded;
    }

    /** The key id named by an issuer (16) or issuer fingerprint (33) subpacket in [from, to), or 0. */
    private static long issuer(byte[] b, int from, int to) {
        int p = from;
        while (p < to) {
            int o1 = b[p++] & 0xFF;
            int len;
            if (o1 < 192) {
                len = o1;
            } else if (o1 < 255) {
                if (p >= to) {
                    return 0;
                }
                len = ((o1 - 192) << 8) + (b[p++] & 0xFF) + 192;
            } else {
                if (p + 4 > to) {
                    return 0;
                }
                len = (int) readUnsigned(b, p, 4);
                p += 4;
            }
            if (len < 1 || len > to - p) {
                return 0;
            }
            int type = b[p] & 0x7F;
            int dataLen = len - 1;
            if (type == 16 && dataLen == 8) {
                return readUnsigned(b, p + 1, 8);
            }
            if (type == 33 && dataLen == 21 && b[p + 1] == 4) {
                return readUnsigned(b, p + 1 + dataLen - 8, 8);
            }
            p += len;
        }
        return 0;
    }

    private static void writeHeader(ByteArrayOutputStream out, boolean newFormat, int tag, int len) {
        if (newFormat) {
            out.write(0xC0 | tag);
            if (len < 192) {
                out.write(len);
            } else if (len < 8384) {
                out.write(((len - 192) >> 8) + 192);
                out.write(len - 192);
            } else {
                out.write(255);
                writeUnsigned(out, len, 4);
            }
        } else if (len < 0x100) {
            out.write(0x80 | (tag << 2));
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x80 | (tag << 2) | 1);
            writeUnsigned(out, len, 2);
        } else {
            out.write(0x80 | (tag << 2) | 2);
            writeUnsigned(out, len, 4);
        }
    }

    private static long readUnsigned(byte[] b, int at, int n) {
        long v = 0;
        for (int k = 0; k < n; k++) {
            v = (v << 8) | (b[at + k] & 0xFF);
        }
        return v;
    }

    private static void writeUnsigned(ByteArrayOutputStream out, long v, int n) {
        for (int k = n - 1; k >= 0; k--) {
            out.write((int) (v >> (8 * k)));
        }
    }
}

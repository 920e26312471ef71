package mig.modules.file;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digests a search can compare, with their JDK names and hex lengths. */
enum HashAlgo {
    MD5("MD5", 32),
    SHA1("SHA-1", 40),
    SHA256("SHA-256", 64),
    SHA384("SHA-384", 96),
    SHA512("SHA-512", 128),
    SHA3_224("SHA3-224", 56),
    SHA3_256("SHA3-256", 64),
    SHA3_384("SHA3-384", 96),
    SHA3_512("SHA3-512", 128);

    private final String jdkName;
    private final int hexLength;

    HashAlgo(String jdkName, int hexLength) {
        this.jdkName = jdkName;
        this.hexLength = hexLength;
    }

    int hexLength() {
        return hexLength;
    }

    /** A fresh digest; every algorithm here is in the JDK's SUN provider. */
    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jdkName + " is missing from this JDK", e);
        }
    }

    /** The SHA-2 variant for a hex length (64, 96, 128), or null. */
    static HashAlgo sha2ForLength(int len) {
        return switch (len) {
            case 64 -> SHA256;
            case 96 -> SHA384;
            case 128 -> SHA512;
            default -> null;
        };
    }

    /** The SHA-3 variant for a hex length (56, 64, 96, 128), or null. */
    static HashAlgo sha3ForLength(int len) {
        return switch (len) {
            case 56 -> SHA3_224;
            case 64 -> SHA3_256;
            case 96 -> SHA3_384;
            case 128 -> SHA3_512;
            default -> null;
        };
    }
}

package mig.common.pgp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * Turns bytes from a file or a database column into key rings, whatever form they come in: armoured
 * text (one or several blocks), a binary GnuPG 1 keyring ({@code pubring.gpg}/{@code secring.gpg},
 * trust packets included) or a binary export. Recognises GnuPG 2.1's keybox so it can say how to export.
 *
 * <p>Bouncy Castle throws a mix of checked and runtime exceptions on junk input; everything is turned
 * into a {@link PgpException} naming the source here, so no caller ever sees a raw parser failure.
 */
final class KeyData {
    private KeyData() {}

    static List<PGPPublicKeyRing> publicRings(byte[] data, String source) throws PgpException {
        return rings(data, source, PGPPublicKeyRing.class);
    }

    static List<PGPSecretKeyRing> secretRings(byte[] data, String source) throws PgpException {
        return rings(data, source, PGPSecretKeyRing.class);
    }

    private static <T> List<T> rings(byte[] data, String source, Class<T> kind) throws PgpException {
        boolean secret = kind == PGPSecretKeyRing.class;
        if (isKeybox(data)) {
            throw new PgpException(source + " is a GnuPG keybox (pubring.kbx format), which is not supported;"
                    + (secret
                            ? " export the secret key in the GnuPG 1 format with"
                                    + " 'gpg --export-secret-keys <fingerprint> > secring.gpg'"
                            : " export the public keys with 'gpg --export > pubring.gpg'"));
        }
        String wanted = secret ? Armor.PRIVATE_KEY : Armor.PUBLIC_KEY;
        if (!Armor.looksArmored(data)) {
            if (Armor.isText(data)) {
                throw new PgpException(source + " is text without a '-----BEGIN PGP " + wanted
                        + "-----' block, and not a binary OpenPGP keyring either");
            }
            return parseBinary(data, source, kind);
        }
        List<T> out = new ArrayList<>();
        List<String> otherTypes = new ArrayList<>();
        for (Armor.Block block : Armor.readAll(new String(data, StandardCharsets.UTF_8), source)) {
            // very old PGP versions wrote "SECRET KEY BLOCK"
            if (block.type().equals(wanted) || (secret && block.type().equals("SECRET KEY BLOCK"))) {
                out.addAll(parseBinary(block.data(), source, kind));
            } else {
                otherTypes.add("PGP " + block.type());
            }
        }
        if (out.isEmpty()) {
            throw new PgpException("no armoured PGP " + wanted + " in " + source
                    + (otherTypes.isEmpty() ? "" : ", found only " + otherTypes) + exportHint(secret, otherTypes));
        }
        return out;
    }

    private static String exportHint(boolean secret, List<String> foundTypes) {
        if (secret) {
            return " (export it with 'gpg --export-secret-keys --armor <fingerprint>')";
        }
        return foundTypes.contains("PGP " + Armor.PRIVATE_KEY)
                ? " (this is a secret key; give its public half: 'gpg --export --armor <fingerprint>')"
                : "";
    }

    private static <T> List<T> parseBinary(byte[] data, String source, Class<T> kind) throws PgpException {
        List<T> out = new ArrayList<>();
        try {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(data);
            Object o;
            while ((o = factory.nextObject()) != null) {
                if (kind.isInstance(o)) {
                    out.add(kind.cast(o));
                } else if (!(o instanceof PGPMarker)) {
                    throw new PgpException(source + " holds " + describe(o) + " where "
                            + (kind == PGPSecretKeyRing.class ? "a secret" : "a public") + " key was expected"
                            + (o instanceof PGPSecretKeyRing ? " (give the public keyring, pubring.gpg)" : ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new PgpException(source + " is not a readable OpenPGP keyring: " + e.getMessage(), e);
        }
        return out;
    }

    private static String describe(Object o) {
        if (o instanceof PGPSecretKeyRing) {
            return "a secret key";
        }
        if (o instanceof PGPPublicKeyRing) {
            return "a public key";
        }
        return "an OpenPGP " + o.getClass().getSimpleName().replace("PGP", "") + " packet";
    }

    /** GnuPG keybox files start with a first blob whose bytes 8..11 are "KBXf". */
    static boolean isKeybox(byte[] data) {
        return data.length >= 12 && data[8] == 'K' && data[9] == 'B' && data[10] == 'X' && data[11] == 'f';
    }
}

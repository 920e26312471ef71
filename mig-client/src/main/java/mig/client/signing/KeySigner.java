package mig.client.signing;

import mig.common.pgp.SecretKey;
import mig.common.pgp.Signatures;

/**
 * Signs with a secret key this process holds unlocked (read from {@code secring.gpg} or an
 * armoured file), as the original client does with its own OpenPGP code.
 *
 * @param key    the unlocked primary key
 * @param source where it was read from, for messages
 */
public record KeySigner(SecretKey key, String source) implements Signer {

    @Override
    public String sign(byte[] data) {
        return Signatures.sign(data, key);
    }

    @Override
    public String describe() {
        return "key " + key.fingerprint() + " from " + source;
    }
}

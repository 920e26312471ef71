package mig.client.signing;

/**
 * What makes the investigator's signatures: actions (their canonical string) and API tokens. Two
 * ways, because investigators keep keys in two kinds of places: a key this process can read and
 * unlock ({@link KeySigner}: GnuPG 1 {@code secring.gpg} or an armoured export), or a key only the
 * user's own {@code gpg} can use ({@link GpgSigner}: gpg-agent, smartcards, GnuPG 2.1+ keyboxes).
 */
public sealed interface Signer permits KeySigner, GpgSigner {

    /**
     * A detached binary signature of {@code data} in MIG's one-line form (base64 body, '=', CRC24).
     *
     * @throws SigningException saying why the key could not sign
     */
    String sign(byte[] data);

    /** Which key, from where, for messages: e.g. {@code key D903... from /home/bob/.gnupg/secring.gpg}. */
    String describe();
}

package mig.common.pgp;

import java.time.Instant;

/**
 * A signature that checked out: who made it and when they say they made it.
 *
 * @param fingerprint primary key fingerprint of the signer, 40 uppercase hex (MIG's identity)
 * @param issuerKeyId id of the key that made the signature (the primary key, or a signing subkey)
 * @param created     creation time written in the signature by the signer (not trustworthy as a clock)
 * @param signer      the signer's whole public key
 */
public record Verified(String fingerprint, long issuerKeyId, Instant created, PublicKey signer) {}

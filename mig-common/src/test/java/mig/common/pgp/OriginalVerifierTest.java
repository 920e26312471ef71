package mig.common.pgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Operation;
import mig.common.json.GoJson;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * Our signatures as the original's verifiers see them. The original (golang.org/x/crypto/openpgp
 * vendored in mozilla/mig, built with Go 1.19) reads an RSA signature MPI as
 * {@code (bitLength + 7) / 8} bytes and passes them to {@code rsa.VerifyPKCS1v15}, which refuses any
 * value whose length is not the modulus's length in bytes. {@link #originalAccepts} reimplements
 * that check; {@code pgp/go-verdicts.txt} holds verdicts recorded from the original's own
 * {@code pgp.Verify} that it must reproduce.
 */
class OriginalVerifierTest {

    @Test
    void sixHundredActionsSignedThroughOurCodeAreAllAcceptedByTheOriginalsCheck() throws Exception {
        KeyGen.Generated key = TestKeys.rsa();
        Keyring keyring = TestKeys.keyringOf(key);
        int leadingZero = 0;
        for (int i = 0; i < 600; i++) {
            Action a = ActionSignatures.sign(action(i), key.secretKey());
            byte[] data = a.canonicalString().getBytes(StandardCharsets.UTF_8);
            String sig = a.pgpSignatures().get(0);
            assertTrue(originalAccepts(sig, key.secretKey().publicKey()), "action " + i + ": " + sig);
            assertEquals(
                    key.fingerprint(), Signatures.verify(data, sig, keyring).fingerprint());
            leadingZero += rsaValue(sig)[0] == 0 ? 1 : 0;
        }
        System.out.printf(
                "600 actions signed, all full length; %d had a value with a leading zero byte%n", leadingZero);
    }

    @Test
    void apiTokensAreFullLengthForAnOriginalApi() throws Exception {
        // X-PGPAUTHORIZATION: an original API checks the token's signature with the same Go code
        KeyGen.Generated key = TestKeys.rsa();
        java.time.Clock clock = java.time.Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), java.time.ZoneOffset.UTC);
        int leadingZero = 0;
        for (long nonce = 1; nonce <= 3000; nonce++) {
            String token = AuthToken.make(key.secretKey(), clock, nonce);
            String sig = token.substring(token.lastIndexOf(';') + 1);
            assertTrue(originalAccepts(sig, key.secretKey().publicKey()), token);
            leadingZero += rsaValue(sig)[0] == 0 ? 1 : 0;
        }
        assertTrue(leadingZero > 0, "3000 tokens and not one padded value: the padding is not exercised");
    }

    @Test
    void aValueWithLeadingZeroIsWrittenPaddedAndStillVerifies() throws Exception {
        KeyGen.Generated key = TestKeys.rsa();
        PublicKey pub = key.secretKey().publicKey();
        for (int i = 0; i < 20_000; i++) {
            byte[] data = ("probe " + i).getBytes(StandardCharsets.UTF_8);
            String sig = Signatures.sign(data, key.secretKey(), Instant.ofEpochSecond(1_700_000_000L));
            byte[] value = rsaValue(sig);
            if (value[0] == 0) {
                assertEquals(256, value.length);
                assertTrue(originalAccepts(sig, pub));
                assertEquals(
                        key.fingerprint(),
                        Signatures.verify(data, sig, TestKeys.keyringOf(key)).fingerprint());
                return;
            }
        }
        throw new AssertionError("no signature value with a leading zero byte in 20000 signatures");
    }

    @Test
    void theCheckRefusesWhatBouncyCastleWritesByItself() throws Exception {
        KeyGen.Generated key = TestKeys.rsa();
        PublicKey pub = key.secretKey().publicKey();
        for (int i = 0; i < 20_000; i++) {
            String sig = Armor.toMig(bouncyCastleSignature(key, ("probe " + i).getBytes(StandardCharsets.UTF_8)));
            if (rsaValue(sig).length < 256) {
                assertFalse(originalAccepts(sig, pub), "the original refuses a short value: " + sig);
                return;
            }
        }
        throw new AssertionError("Bouncy Castle wrote no short value in 20000 signatures");
    }

    @Test
    void aShortSelfSignatureIsExportedAtFullLength() throws Exception {
        // the original reads a keyring with openpgp.ReadKeyRing, which checks every self-signature
        // the same way; re-certify the user id until Bouncy Castle makes a short one
        KeyGen.Generated key = TestKeys.rsa();
        PGPPublicKey primary = key.secretKey().publicKey().ring().getPublicKey();
        String uid = primary.getUserIDs().next();
        for (int i = 0; i < 20_000; i++) {
            PGPSignatureGenerator gen = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(primary.getAlgorithm(), HashAlgorithmTags.SHA256), primary);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, new Date(1_700_000_000_000L + i * 1000L));
            hashed.setIssuerKeyID(false, primary.getKeyID());
            gen.setHashedSubpackets(hashed.generate());
            gen.init(PGPSignature.POSITIVE_CERTIFICATION, key.secretKey().privateKey());
            PGPSignature cert = gen.generateCertification(uid, primary);
            if (mpi(cert.getEncoded()).length < 256) {
                PGPPublicKey stripped = PGPPublicKey.removeCertification(primary, uid);
                PGPPublicKey recertified = PGPPublicKey.addCertification(stripped, uid, cert);
                PublicKey pub = PublicKey.single(new PGPPublicKeyRing(List.of(recertified)).getEncoded(), "test");
                byte[] exported = pub.encoded();
                List<byte[]> values = signatureValues(exported);
                assertEquals(1, values.size());
                assertEquals(256, values.get(0).length, "self-signature exported at the modulus's length");
                assertEquals(0, values.get(0)[0]);
                PublicKey reread = PublicKey.single(exported, "exported");
                assertEquals(key.fingerprint(), reread.fingerprint(), "Bouncy Castle reads it back");
                return;
            }
        }
        throw new AssertionError("no short certification in 20000");
    }

    @Test
    void theCheckAgreesWithVerdictsRecordedFromTheOriginal() throws Exception {
        // recorded by running the original's pgp.Verify (vendored x/crypto/openpgp, Go 1.19.8) over
        // signatures made by Bouncy Castle alone (short ones refused), by our signing code, and by Go
        PublicKey pub = PublicKey.parse(TestKeys.resource("go-verdicts-key.asc"));
        Keyring keyring = Keyring.of(List.of(pub));
        int accepted = 0;
        int refused = 0;
        for (String line : TestKeys.resource("go-verdicts.txt").lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            byte[] data = Base64.getDecoder().decode(f[1]);
            boolean goAccepted = f[3].equals("accepted");
            assertEquals(goAccepted, originalAccepts(f[2], pub), line);
            // every one of them is a genuine signature: ours accepts them all, padded or not
            assertEquals(
                    pub.fingerprint(), Signatures.verify(data, f[2], keyring).fingerprint(), line);
            if (f[0].equals("ours")) {
                assertTrue(goAccepted, "the original refused a signature made by our code: " + line);
            }
            if (goAccepted) {
                accepted++;
            } else {
                refused++;
            }
        }
        assertTrue(accepted > 0 && refused > 0, accepted + " accepted, " + refused + " refused");
    }

    /**
     * The original's RSA check, minus the arithmetic our verifier does as well: the MPI as Go's
     * readMPI reads it, whose length must be the modulus's length in bytes.
     */
    static boolean originalAccepts(String migSignature, PublicKey key) throws Exception {
        int k = FullLengthMpi.rsaModulusBytes(key.ring().getPublicKey());
        return rsaValue(migSignature).length == k;
    }

    private static byte[] rsaValue(String migSignature) throws Exception {
        return mpi(Armor.fromMig(migSignature));
    }

    /** The bytes Go's readMPI returns for the (only) MPI of a v4 RSA signature packet. */
    private static byte[] mpi(byte[] packet) throws IOException {
        List<byte[]> values = signatureValues(packet);
        assertEquals(1, values.size());
        return values.get(0);
    }

    /** The RSA values of every signature packet of a stream, as Go reads them. */
    private static List<byte[]> signatureValues(byte[] packets) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(packets));
        List<byte[]> values = new ArrayList<>();
        while (in.available() > 0) {
            int b0 = in.readUnsignedByte();
            int tag;
            int len;
            if ((b0 & 0x40) != 0) {
                tag = b0 & 0x3F;
                int l1 = in.readUnsignedByte();
                len = l1 < 192 ? l1 : l1 < 224 ? ((l1 - 192) << 8) + in.readUnsignedByte() + 192 : in.readInt();
            } else {
                tag = (b0 >> 2) & 0x0F;
                int lt = b0 & 3;
                len = lt == 0 ? in.readUnsignedByte() : lt == 1 ? in.readUnsignedShort() : in.readInt();
            }
            byte[] body = in.readNBytes(len);
            if (tag != 2) {
                continue;
            }
            DataInputStream b = new DataInputStream(new ByteArrayInputStream(body));
            assertEquals(4, b.readUnsignedByte());
            b.readUnsignedByte();
            assertEquals(1, b.readUnsignedByte(), "RSA");
            b.readUnsignedByte();
            b.skipNBytes(b.readUnsignedShort());
            b.skipNBytes(b.readUnsignedShort());
            b.skipNBytes(2);
            int bits = b.readUnsignedShort();
            values.add(b.readNBytes((bits + 7) / 8));
        }
        return values;
    }

    private static byte[] bouncyCastleSignature(KeyGen.Generated key, byte[] data) throws Exception {
        PGPPublicKey pub = key.secretKey().publicKey().ring().getPublicKey();
        PGPSignatureGenerator gen = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(pub.getAlgorithm(), HashAlgorithmTags.SHA256), pub);
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, new Date(1_700_000_000_000L));
        hashed.setIssuerKeyID(false, pub.getKeyID());
        gen.setHashedSubpackets(hashed.generate());
        gen.init(PGPSignature.BINARY_DOCUMENT, key.secretKey().privateKey());
        gen.update(data);
        return gen.generate().getEncoded();
    }

    static Action action(int i) {
        return Action.draft(
                "interop action " + i,
                "status='online' AND name='host" + i + "'",
                Instant.ofEpochSecond(1_700_000_000L + i),
                Instant.ofEpochSecond(1_700_003_600L + i),
                List.of(Operation.of(
                        "file",
                        GoJson.tree("{\"searches\":{\"s1\":{\"paths\":[\"/etc\"]," + "\"names\":[\"^passwd$\"]}}}"))));
    }
}

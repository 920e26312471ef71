package mig.testkit;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Keys and certificates for TLS tests, written as PEM files the way operators have them: the relay
 * loaders of the agent and the scheduler read these.
 */
public final class TestCerts {

    private TestCerts() {}

    /** A fresh RSA key pair (2048 bits). */
    public static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed certificate for {@code cn}, valid from a minute ago for an hour. */
    public static X509Certificate selfSigned(KeyPair kp, String cn, String signatureAlgorithm) {
        X500Name dn = new X500Name("CN=" + cn);
        Instant now = Instant.now();
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    dn,
                                    BigInteger.ONE,
                                    Date.from(now.minusSeconds(60)),
                                    Date.from(now.plusSeconds(3600)),
                                    dn,
                                    kp.getPublic())
                            .build(new JcaContentSignerBuilder(signatureAlgorithm).build(kp.getPrivate())));
        } catch (java.security.GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code objects} to {@code file} with Bouncy Castle's PEM writer: a JDK RSA private key
     * as PKCS#1 {@code RSA PRIVATE KEY}, a certificate as {@code CERTIFICATE}, a PKCS#8 generator's
     * output as {@code PRIVATE KEY}.
     */
    public static Path pem(Path file, Object... objects) throws IOException {
        try (Writer w = Files.newBufferedWriter(file);
                JcaPEMWriter pw = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                pw.writeObject(o);
            }
        }
        return file;
    }
}

package mig.scheduler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import mig.common.config.ConfigException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * [mq] usetls: the CA, client certificate and key PEM files an operator has for the relay (the
 * encodings themselves are mig-common's {@code PemTlsTest}).
 */
class MqTlsTest {

    @Test
    void buildsATlsFactoryFromPkcs1AndPkcs8Keys(@TempDir Path dir) throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPair kp = rsa.generateKeyPair();
        Path cert = write(dir.resolve("cert.pem"), selfSigned(kp, "SHA256withRSA"));
        Path pkcs1 = write(dir.resolve("key-pkcs1.pem"), kp.getPrivate());
        Path pkcs8 = write(dir.resolve("key-pkcs8.pem"), new JcaPKCS8Generator(kp.getPrivate(), null).generate());
        assertTrue(Files.readString(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertTrue(Files.readString(pkcs8).startsWith("-----BEGIN PRIVATE KEY-----"));

        for (Path key : new Path[] {pkcs1, pkcs8}) {
            MqConfig mq = new MqConfig("relay.example", 5671, "scheduler", "secret", "mig", true, Optional.of(cert),
                    Optional.of(cert), Optional.of(key), Duration.ofSeconds(600));
            assertTrue(mq.connectionFactory().isSSL());
            assertEquals("amqps://scheduler@relay.example:5671/mig", mq.toString());
        }
    }

    @Test
    void saysWhichFileHoldsNoKey(@TempDir Path dir) throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("EC").generateKeyPair();
        Path cert = write(dir.resolve("cert.pem"), selfSigned(kp, "SHA256withECDSA"));
        MqConfig mq = new MqConfig("relay.example", 5671, "scheduler", "secret", "mig", true, Optional.of(cert),
                Optional.of(cert), Optional.of(cert), Duration.ofSeconds(600));
        assertEquals("[mq] " + cert + " holds no unencrypted PEM private key",
                assertThrows(ConfigException.class, mq::connectionFactory).getMessage());
    }

    private static X509Certificate selfSigned(KeyPair kp, String algorithm) throws Exception {
        X500Name dn = new X500Name("CN=mig-relay-test");
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(dn, BigInteger.ONE,
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), dn, kp.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(kp.getPrivate())));
    }

    private static Path write(Path file, Object pem) throws IOException {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(pem);
        }
        return file;
    }
}

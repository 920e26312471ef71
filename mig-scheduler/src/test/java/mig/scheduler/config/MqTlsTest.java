package mig.scheduler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Optional;
import mig.common.config.ConfigException;
import mig.testkit.TestCerts;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * [mq] usetls: the CA, client certificate and key PEM files an operator has for the relay (the
 * encodings themselves are mig-common's {@code PemTlsTest}).
 */
class MqTlsTest {

    @Test
    void buildsATlsFactoryFromPkcs1AndPkcs8Keys(@TempDir Path dir) throws Exception {
        KeyPair kp = TestCerts.rsa();
        Path cert = TestCerts.pem(dir.resolve("cert.pem"), TestCerts.selfSigned(kp, "mig-relay-test", "SHA256withRSA"));
        Path pkcs1 = TestCerts.pem(dir.resolve("key-pkcs1.pem"), kp.getPrivate());
        Path pkcs8 =
                TestCerts.pem(dir.resolve("key-pkcs8.pem"), new JcaPKCS8Generator(kp.getPrivate(), null).generate());
        assertTrue(Files.readString(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertTrue(Files.readString(pkcs8).startsWith("-----BEGIN PRIVATE KEY-----"));

        for (Path key : new Path[] {pkcs1, pkcs8}) {
            MqConfig mq = new MqConfig(
                    "relay.example",
                    5671,
                    "scheduler",
                    "secret",
                    "mig",
                    true,
                    Optional.of(cert),
                    Optional.of(cert),
                    Optional.of(key),
                    Duration.ofSeconds(600));
            assertTrue(mq.connectionFactory().isSSL());
            assertEquals("amqps://scheduler@relay.example:5671/mig", mq.toString());
        }
    }

    @Test
    void saysWhichFileHoldsNoKey(@TempDir Path dir) throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("EC").generateKeyPair();
        Path cert =
                TestCerts.pem(dir.resolve("cert.pem"), TestCerts.selfSigned(kp, "mig-relay-test", "SHA256withECDSA"));
        MqConfig mq = new MqConfig(
                "relay.example",
                5671,
                "scheduler",
                "secret",
                "mig",
                true,
                Optional.of(cert),
                Optional.of(cert),
                Optional.of(cert),
                Duration.ofSeconds(600));
        assertEquals(
                "[mq] " + cert + " holds no unencrypted PEM private key",
                assertThrows(ConfigException.class, mq::connectionFactory).getMessage());
    }
}

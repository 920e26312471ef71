package mig.common.tls;

import static mig.testkit.TestCerts.pem;
import static mig.testkit.TestCerts.rsa;
import static mig.testkit.TestCerts.selfSigned;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's PEM files as operators have them (openssl's and Go's usual encodings), proven by a
 * mutual-TLS handshake on loopback in which each side presents the loaded key.
 */
class PemTlsTest {

    @Test
    void pkcs1RsaKeysAreAcceptedAsGoAcceptsThem(@TempDir Path dir) throws Exception {
        KeyPair kp = rsa();
        Path key = pem(dir.resolve("key.pem"), kp.getPrivate());
        assertTrue(Files.readString(key).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        handshake(pem(dir.resolve("cert.pem"), selfSigned(kp, "mig-relay-test", "SHA256withRSA")), key);
    }

    @Test
    void pkcs8RsaKeysAreAccepted(@TempDir Path dir) throws Exception {
        KeyPair kp = rsa();
        Path key = pem(dir.resolve("key.pem"), new JcaPKCS8Generator(kp.getPrivate(), null).generate());
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        handshake(pem(dir.resolve("cert.pem"), selfSigned(kp, "mig-relay-test", "SHA256withRSA")), key);
    }

    @Test
    void sec1EcKeysAreAccepted(@TempDir Path dir) throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        KeyPair kp = ec.generateKeyPair();
        // as openssl writes it: SEC1 with the named curve inside (the JDK's PKCS#8 keeps it outside)
        PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(kp.getPrivate().getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
        Path key = pem(
                dir.resolve("key.pem"),
                new PemObject(
                        "EC PRIVATE KEY",
                        new ECPrivateKey(
                                        256,
                                        inner.getKey(),
                                        pkcs8.getPrivateKeyAlgorithm().getParameters())
                                .getEncoded()));
        assertTrue(Files.readString(key).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        handshake(pem(dir.resolve("cert.pem"), selfSigned(kp, "mig-relay-test", "SHA256withECDSA")), key);
    }

    @Test
    void aKeyAfterTheCertificateInOneFileIsFound(@TempDir Path dir) throws Exception {
        KeyPair kp = rsa();
        Path both = pem(dir.resolve("both.pem"), selfSigned(kp, "mig-relay-test", "SHA256withRSA"), kp.getPrivate());
        handshake(both, both);
    }

    @Test
    void saysWhichFileHoldsNoKeyOrNoCertificate(@TempDir Path dir) throws Exception {
        KeyPair kp = rsa();
        Path cert = pem(dir.resolve("cert.pem"), selfSigned(kp, "mig-relay-test", "SHA256withRSA"));
        Path key = pem(dir.resolve("key.pem"), kp.getPrivate());
        assertEquals(
                cert + " holds no unencrypted PEM private key",
                assertThrows(
                                PemTls.PemException.class,
                                () -> PemTls.context(Optional.of(cert), Optional.of(cert), Optional.of(cert)))
                        .getMessage());
        assertEquals(
                key + " holds no PEM certificate",
                assertThrows(
                                PemTls.PemException.class,
                                () -> PemTls.context(Optional.of(key), Optional.of(cert), Optional.of(key)))
                        .getMessage());
        assertEquals(
                "a client certificate and its key go together: give both or neither",
                assertThrows(
                                PemTls.PemException.class,
                                () -> PemTls.context(Optional.empty(), Optional.of(cert), Optional.empty()))
                        .getMessage());
    }

    @Test
    void withoutFilesTheJvmsAuthoritiesAreTrustedAndNoClientCertificateIsSent() throws Exception {
        assertEquals(
                "TLS",
                PemTls.context(Optional.empty(), Optional.empty(), Optional.empty())
                        .getProtocol());
    }

    /** Server and client both load {@code cert} + {@code key}, trust {@code cert}, and require each other's. */
    private static void handshake(Path cert, Path key) throws Exception {
        SSLContext ctx = PemTls.context(Optional.of(cert), Optional.of(cert), Optional.of(key));
        try (SSLServerSocket server = (SSLServerSocket)
                ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept();
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream()) {
                    int b = in.read();
                    out.write(b);
                    out.flush();
                    return s.getSession().getPeerPrincipal().getName();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket client = (SSLSocket)
                    ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                client.getOutputStream().write(42);
                client.getOutputStream().flush();
                assertEquals(42, client.getInputStream().read());
                assertEquals(
                        "CN=mig-relay-test",
                        client.getSession().getPeerPrincipal().getName());
            }
            assertEquals(
                    "CN=mig-relay-test", seen.get(30, TimeUnit.SECONDS), "the server saw the client's certificate");
        }
    }
}

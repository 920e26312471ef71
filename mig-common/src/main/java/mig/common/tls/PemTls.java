package mig.common.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A TLS context from the PEM files MIG's relay setup uses, for the agent's {@code [certs]} and the
 * scheduler's {@code [mq]}: the authority that signed the broker's certificate, and the client
 * certificate and key MIG's components share. The key may be PKCS#1 {@code RSA PRIVATE KEY}, SEC1
 * {@code EC PRIVATE KEY} as openssl writes it (with its curve) or PKCS#8 {@code PRIVATE KEY},
 * unencrypted, as the original's Go {@code tls.X509KeyPair} reads them; Bouncy Castle's
 * {@link PEMParser} reads all three.
 */
public final class PemTls {

    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {}

    /** A PEM file that holds nothing of the kind asked for; the message names the file. */
    public static final class PemException extends GeneralSecurityException {
        private static final long serialVersionUID = 1L;

        PemException(String message) {
            super(message);
        }
    }

    /**
     * The TLS context for a relay connection.
     *
     * @param ca   the authorities trusted for the relay; none: the JVM's
     * @param cert the client certificate (chain); goes with {@code key}
     * @param key  the client certificate's private key; goes with {@code cert}
     * @throws PemException naming a file that holds no certificate or no unencrypted key, or when
     *         only one of {@code cert} and {@code key} is given
     */
    public static SSLContext context(Optional<Path> ca, Optional<Path> cert, Optional<Path> key)
            throws GeneralSecurityException, IOException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (ca.isEmpty()) {
            tmf.init((KeyStore) null);
        } else {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates(ca.get())) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            tmf.init(trust);
        }
        KeyManagerFactory kmf = null;
        if (cert.isPresent() != key.isPresent()) {
            throw new PemException("a client certificate and its key go together: give both or neither");
        }
        if (cert.isPresent()) {
            KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
            keys.load(null, null);
            keys.setKeyEntry(
                    "client",
                    privateKey(key.get()),
                    NO_PASSWORD,
                    certificates(cert.get()).toArray(new Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, NO_PASSWORD);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** The file's certificates in order, skipping keys and other blocks as Go does. */
    private static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        List<Certificate> certs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(r)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    certs.add(converter.getCertificate(holder));
                }
            }
        }
        if (certs.isEmpty()) {
            throw new PemException(pem + " holds no PEM certificate");
        }
        return certs;
    }

    /** The first unencrypted private key of the file, skipping certificates and other blocks as Go does. */
    private static PrivateKey privateKey(Path pem) throws IOException, PemException {
        try (Reader r = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new PemException(pem + " holds no unencrypted PEM private key");
    }
}

package mig.agent.relay;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import mig.agent.config.AgentConfig.Certs;

/**
 * TLS for an {@code amqps://} relay from the {@code [certs]} PEM files: {@code ca} is the only
 * authority trusted for the relay (the JVM's authorities when empty), {@code cert} + {@code key} are
 * the client certificate all agents share. Keys must be PKCS#8 ({@code BEGIN PRIVATE KEY}).
 */
final class RelayTls {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private RelayTls() {
    }

    static SSLContext context(Certs certs) throws GeneralSecurityException, IOException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (certs.ca().isEmpty()) {
            tmf.init((KeyStore) null);
        } else {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : readCertificates(certs.ca())) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            tmf.init(trust);
        }
        KeyManagerFactory kmf = null;
        if (!certs.cert().isEmpty() || !certs.key().isEmpty()) {
            if (certs.cert().isEmpty() || certs.key().isEmpty()) {
                throw new GeneralSecurityException("[certs] cert and key go together: give both or neither");
            }
            char[] none = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("agent", readKey(certs.key()), none,
                    readCertificates(certs.cert()).toArray(new Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static Collection<? extends Certificate> readCertificates(String file) throws IOException,
            GeneralSecurityException {
        byte[] pem = Files.readAllBytes(Path.of(file));
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem));
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + file);
        }
        return certs;
    }

    private static PrivateKey readKey(String file) throws IOException, GeneralSecurityException {
        String text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        if (!m.find()) {
            throw new GeneralSecurityException("no PEM private key in " + file);
        }
        if (!m.group(1).equals("PRIVATE KEY")) {
            throw new GeneralSecurityException(file + " holds a '" + m.group(1) + "'; convert it to PKCS#8 with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in " + file + "'");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("unsupported private key in " + file + " (RSA, EC or Ed25519 expected)");
    }
}

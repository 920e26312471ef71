package mig.client.api;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code [api] skipverifycert = on}: a TLS context that accepts any server certificate, the
 * original's {@code InsecureSkipVerify}, for test APIs with self-signed certificates. TLS 1.2 is the
 * floor, as in the original.
 */
final class InsecureTls {
    private InsecureTls() {}

    static SSLContext context() {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLSv1.2");
            ctx.init(null, new TrustManager[] {trustAll}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS 1.2 in this JVM: " + e.getMessage(), e);
        }
    }
}

package mig.testkit;

import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;

/**
 * Where an AMQP 0-9-1 broker is and how to log in, parsed from an amqp:// URI. The virtual host is
 * not part of it: every {@link TestBroker} gets its own.
 */
record AmqpEndpoint(boolean tls, String host, int port, String user, String password) {

    static final String EXPECTED = "amqp://USER:PASSWORD@HOST[:PORT], e.g. amqp://guest:guest@127.0.0.1:5672";

    /**
     * Parses {@code value}; {@code variable} names where it came from so the error says what to fix.
     * User and password default to guest/guest; a vhost path is accepted and ignored.
     */
    static AmqpEndpoint parse(String value, String variable) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw malformed(variable, value, e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme();
        if (!"amqp".equalsIgnoreCase(scheme) && !"amqps".equalsIgnoreCase(scheme)) {
            throw malformed(variable, value, "the scheme must be amqp or amqps, got " + scheme);
        }
        if (uri.getHost() == null) {
            throw malformed(
                    variable,
                    value,
                    "no HOST[:PORT] could be read from it" + " (a host with a numeric port is required)");
        }
        boolean tls = "amqps".equalsIgnoreCase(scheme);
        String user = "guest";
        String password = "guest";
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        }
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 5671 : 5672;
        return new AmqpEndpoint(tls, uri.getHost(), port, user, password);
    }

    /** The URI of {@code vhost} on this broker, credentials included and every part URL-encoded. */
    String uri(String vhost) {
        return (tls ? "amqps" : "amqp") + "://" + encode(user) + ":" + encode(password) + "@" + host + ":" + port + "/"
                + encode(vhost);
    }

    ConnectionFactory connectionFactory(String vhost, Duration timeout) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(user);
        factory.setPassword(password);
        factory.setVirtualHost(vhost);
        factory.setConnectionTimeout((int) timeout.toMillis());
        factory.setHandshakeTimeout((int) timeout.toMillis());
        if (tls) {
            try {
                factory.useSslProtocol();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot set up TLS for " + describe() + ": " + e, e);
            }
        }
        return factory;
    }

    boolean isLoopback() {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
    }

    /** host:port as user, for messages; never the password. */
    String describe() {
        return host + ":" + port + " as " + user;
    }

    private static IllegalArgumentException malformed(String variable, String value, String detail) {
        return new IllegalArgumentException(variable + " is not a usable AMQP URI: " + detail + ". Got '"
                + PgEndpoint.redact(value) + "'; expected " + EXPECTED);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

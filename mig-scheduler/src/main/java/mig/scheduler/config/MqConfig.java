package mig.scheduler.config;

import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;
import mig.common.tls.PemTls;

/**
 * The {@code [mq]} section: where the relay (RabbitMQ) is and how to log in. As in the original,
 * host, port, user and pass are required; {@code timeout} (default 600s) is both the connect
 * timeout and the AMQP heartbeat; {@code usetls} needs {@code cacert}, {@code tlscert} and
 * {@code tlskey} (PEM files).
 */
public record MqConfig(
        String host,
        int port,
        String user,
        String pass,
        String vhost,
        boolean useTls,
        Optional<Path> caCert,
        Optional<Path> tlsCert,
        Optional<Path> tlsKey,
        Duration timeout) {

    public MqConfig {
        require("host", host);
        require("user", user);
        require("pass", pass);
        if (port < 1 || port > 65535) {
            throw new ConfigException("[mq] port must be 1-65535, got " + port);
        }
        if (useTls && (caCert.isEmpty() || tlsCert.isEmpty() || tlsKey.isEmpty())) {
            throw new ConfigException("[mq] usetls needs cacert, tlscert and tlskey (PEM files)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ConfigException("[mq] timeout must be a positive duration such as 600s, got " + timeout);
        }
    }

    /** Reads {@code [mq]}. */
    public static MqConfig from(IniConfig ini) {
        long port = ini.getLong("mq", "port")
                .orElseThrow(() -> new ConfigException(
                        ini.source() + ": [mq] port is missing (RabbitMQ listens on 5672, or 5671 with TLS)"));
        String vhost = ini.getString("mq", "vhost", "");
        return new MqConfig(
                ini.getString("mq", "host", ""),
                (int) Math.max(0, Math.min(port, 65536)),
                ini.getString("mq", "user", ""),
                ini.getString("mq", "pass", ""),
                vhost.isEmpty() ? "/" : vhost,
                ini.getBool("mq", "usetls").orElse(false),
                path(ini, "cacert"),
                path(ini, "tlscert"),
                path(ini, "tlskey"),
                ini.getDuration("mq", "timeout").orElse(Duration.ofSeconds(600)));
    }

    /** A factory for connections to the relay (TLS set up when asked). */
    public ConnectionFactory connectionFactory() {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(host);
        f.setPort(port);
        f.setUsername(user);
        f.setPassword(pass);
        f.setVirtualHost(vhost);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        f.setConnectionTimeout(millis);
        f.setHandshakeTimeout(millis);
        f.setRequestedHeartbeat((int) Math.min(65535, Math.max(1, timeout.toSeconds())));
        if (useTls) {
            f.useSslProtocol(tls());
            f.enableHostnameVerification();
        }
        return f;
    }

    private SSLContext tls() {
        try {
            return PemTls.context(caCert, tlsCert, tlsKey);
        } catch (PemTls.PemException e) {
            throw new ConfigException("[mq] " + e.getMessage(), e);
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("[mq] TLS setup failed: " + e.getMessage(), e);
        }
    }

    /** For logs: everything but the password. */
    @Override
    public String toString() {
        return (useTls ? "amqps://" : "amqp://") + user + "@" + host + ":" + port + "/" + vhost;
    }

    private static Optional<Path> path(IniConfig ini, String key) {
        String v = ini.getString("mq", key, "").strip();
        return v.isEmpty() ? Optional.empty() : Optional.of(Path.of(v));
    }

    private static void require(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException("[mq] " + key + " is missing");
        }
    }
}

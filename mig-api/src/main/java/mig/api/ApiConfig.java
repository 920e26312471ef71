package mig.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;
import mig.common.heartbeat.HeartbeatSettings;
import mig.common.logging.LoggingConfig;
import mig.common.pgp.AuthToken;
import mig.database.DbConfig;

/**
 * The API's configuration, the original's {@code api.cfg}:
 * <pre>
 * [server]          ip, port, host (public base of hrefs), baseroute (/api/v1), clientpublicip,
 *                   maxactionvalidity (ours: longest an action may stay valid, from submission; 0 = no limit)
 * [authentication]  enabled (off: everyone is "authdisabled" with every permission), tokenduration (10m)
 * [manifest]        requiredsignatures (at least 1)
 * [postgres]        host, port, dbname, user, password, sslmode, maxconn
 * [logging]         mode, level, file, maxfilesize, host, port, protocol, facility ({@link LoggingConfig})
 * [heartbeats]      ours: peraddress, perqueueloc (rate limits), secret (authentication); {@link HeartbeatSettings}
 * </pre>
 * Unknown sections and keys are refused, as the original's gcfg does.
 */
public record ApiConfig(
        String ip,
        int port,
        String host,
        String baseRoute,
        ClientIp clientPublicIp,
        boolean authEnabled,
        Duration tokenDuration,
        int requiredSignatures,
        DbConfig postgres,
        LoggingConfig logging,
        Duration maxActionValidity,
        HeartbeatSettings heartbeats) {

    /**
     * Default of {@code [server] maxactionvalidity}: a week. The original had no limit (an action
     * signed to expire in ten years was accepted, and stayed usable for replay that long).
     */
    public static final Duration DEFAULT_MAX_ACTION_VALIDITY = Duration.ofDays(7);

    private static final Map<String, Set<String>> KNOWN = Map.of(
            "server",
            Set.of("ip", "port", "host", "baseroute", "clientpublicip", "maxactionvalidity"),
            "authentication",
            Set.of("enabled", "tokenduration"),
            "manifest",
            Set.of("requiredsignatures"),
            "postgres",
            DbConfig.KEYS,
            "logging",
            LoggingConfig.KEYS,
            "heartbeats",
            HeartbeatSettings.API_KEYS);

    public ApiConfig {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clientPublicIp, "clientPublicIp");
        Objects.requireNonNull(tokenDuration, "tokenDuration");
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(maxActionValidity, "maxActionValidity");
        Objects.requireNonNull(heartbeats, "heartbeats");
        if (maxActionValidity.isNegative()) {
            throw new ConfigException(
                    "[server] maxactionvalidity must be 0 (no limit) or positive, got " + maxActionValidity);
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("[server] port must be 0-65535, got " + port);
        }
        if (!host.startsWith("http://") && !host.startsWith("https://")) {
            throw new ConfigException("[server] host must be the public URL of the API such as http://localhost:1664,"
                    + " got '" + host + "'");
        }
        if (host.endsWith("/")) {
            throw new ConfigException(
                    "[server] host must not end with '/' (the base route follows it), got '" + host + "'");
        }
        if (!baseRoute.startsWith("/") || baseRoute.endsWith("/")) {
            throw new ConfigException("[server] baseroute must start with '/' and not end with one, such as /api/v1;"
                    + " got '" + baseRoute + "'");
        }
        if (tokenDuration.isNegative() || tokenDuration.isZero()) {
            throw new ConfigException("[authentication] tokenduration must be positive, got " + tokenDuration);
        }
        if (requiredSignatures < 1) {
            throw new ConfigException(
                    "manifest:requiredsignatures must be at least 1 in config file, got " + requiredSignatures);
        }
    }

    /** Reads and checks a configuration file. */
    public static ApiConfig load(Path file) {
        return from(IniConfig.read(file));
    }

    /** Checks parsed configuration text. */
    public static ApiConfig from(IniConfig ini) {
        ini.requireKnown(KNOWN);
        String ip = ini.getString("server", "ip", "127.0.0.1");
        int port = Math.toIntExact(ini.getLong("server", "port")
                .orElseThrow(() -> new ConfigException(ini.source() + ": [server] port is required")));
        String host = ini.getString("server", "host", "http://localhost:" + port);
        return new ApiConfig(
                ip,
                port,
                host,
                ini.getString("server", "baseroute", "/api/v1"),
                ClientIp.parse(ini.getString("server", "clientpublicip", "peer")),
                ini.getBool("authentication", "enabled").orElse(true),
                ini.getDuration("authentication", "tokenduration").orElse(AuthToken.DEFAULT_WINDOW),
                Math.toIntExact(ini.getLong("manifest", "requiredsignatures").orElse(1L)),
                DbConfig.from(ini),
                LoggingConfig.from(ini),
                ini.getDuration("server", "maxactionvalidity").orElse(DEFAULT_MAX_ACTION_VALIDITY),
                HeartbeatSettings.from(ini));
    }

    /**
     * A configuration for running in-process (tests, the standalone platform): listens on
     * 127.0.0.1:{@code port} (0 picks a free port), base route /api/v1, socket peer as client IP.
     *
     * @param host the public base written in hrefs, e.g. http://localhost:1664
     */
    public static ApiConfig local(int port, String host, boolean authEnabled, DbConfig postgres) {
        return new ApiConfig(
                "127.0.0.1",
                port,
                host,
                "/api/v1",
                ClientIp.PEER,
                authEnabled,
                AuthToken.DEFAULT_WINDOW,
                1,
                postgres,
                LoggingConfig.DEFAULT,
                DEFAULT_MAX_ACTION_VALIDITY,
                HeartbeatSettings.DEFAULT);
    }

    /** This configuration with another {@code [server] maxactionvalidity}. */
    public ApiConfig withMaxActionValidity(Duration max) {
        return new ApiConfig(
                ip,
                port,
                host,
                baseRoute,
                clientPublicIp,
                authEnabled,
                tokenDuration,
                requiredSignatures,
                postgres,
                logging,
                max,
                heartbeats);
    }

    /** This configuration with another {@code [heartbeats]} section. */
    public ApiConfig withHeartbeats(HeartbeatSettings h) {
        return new ApiConfig(
                ip,
                port,
                host,
                baseRoute,
                clientPublicIp,
                authEnabled,
                tokenDuration,
                requiredSignatures,
                postgres,
                logging,
                maxActionValidity,
                h);
    }
}

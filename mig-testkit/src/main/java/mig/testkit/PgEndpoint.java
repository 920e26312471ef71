package mig.testkit;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Where one PostgreSQL database is and how to log in, parsed from a JDBC URL. Credentials are kept
 * apart from the URL because Hikari, Flyway and MIG's own config all take them separately.
 */
record PgEndpoint(String host, int port, String database, String user, String password, Map<String, String> options) {

    static final String EXPECTED = "jdbc:postgresql://HOST[:PORT]/DATABASE[?user=USER&password=PASSWORD],"
            + " e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final String PREFIX = "jdbc:postgresql://";

    PgEndpoint {
        options = Map.copyOf(options);
        password = password == null ? "" : password;
    }

    /**
     * Parses {@code value}; {@code variable} names where it came from so the error says what to fix.
     * The user defaults to postgres and the database to postgres, as for MIG's own setup.
     */
    static PgEndpoint parse(String value, String variable) {
        if (!value.startsWith(PREFIX)) {
            throw malformed(variable, value, "it does not start with " + PREFIX);
        }
        URI uri;
        try {
            uri = new URI("postgresql://" + value.substring(PREFIX.length()));
        } catch (URISyntaxException e) {
            throw malformed(
                    variable,
                    value,
                    e.getReason() + " at index " + (e.getIndex() + PREFIX.length() - "postgresql://".length()));
        }
        if (uri.getHost() == null) {
            throw malformed(
                    variable,
                    value,
                    "no HOST[:PORT] could be read from it" + " (a single host with a numeric port is required)");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.length() <= 1 ? "postgres" : path.substring(1);
        if (database.contains("/")) {
            throw malformed(variable, value, "the path must be a single database name, got '" + path + "'");
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw malformed(variable, value, "query parameter '" + pair + "' is not NAME=VALUE");
                }
                options.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        String user = options.containsKey("user") ? options.remove("user") : "postgres";
        String password = options.remove("password");
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        return new PgEndpoint(uri.getHost(), port, database, user, password, options);
    }

    /** The same server and login, another database. */
    PgEndpoint withDatabase(String name) {
        return new PgEndpoint(host, port, name, user, password, options);
    }

    /** JDBC URL without credentials: pass {@link #user()} and {@link #password()} beside it. */
    String jdbcUrl() {
        String query = options.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return PREFIX + host + ":" + port + "/" + encode(database) + (query.isEmpty() ? "" : "?" + query);
    }

    Connection connect(Duration timeout) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
        props.setProperty("connectTimeout", seconds);
        props.setProperty("loginTimeout", seconds);
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    /** host:port/database as user, for messages; never the password. */
    String describe() {
        return host + ":" + port + "/" + database + " as " + user;
    }

    private static IllegalArgumentException malformed(String variable, String value, String detail) {
        return new IllegalArgumentException(variable + " is not a usable PostgreSQL JDBC URL: " + detail + ". Got '"
                + redact(value) + "'; expected " + EXPECTED);
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("(//[^:/@]*:)[^@/]*@", "$1***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

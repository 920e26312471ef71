package mig.standalone;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mig.database.DbConfig;

/**
 * PostgreSQL 17 inside the demo process (zonky's binaries from Maven Central), with its data kept in
 * the demo folder so a second start finds the same investigators, actions and results. As root,
 * zonky runs PostgreSQL in a user namespace, so the demo also works in a root shell or container.
 *
 * <p>Locked down against the other local users (issue 17: as {@code nobody}, a passwordless
 * superuser login and {@code COPY ... TO PROGRAM} read root's files):
 * <ul>
 * <li>every login needs a password: {@code pg_hba.conf} allows only scram-sha-256 over loopback TCP,
 * no unix socket is opened, and the passwords are generated into {@code pg-credentials} (0600) in
 * the demo folder (0700);
 * <li>the binaries are unpacked under the demo folder ({@code pg-bin}), not in the world-writable
 * {@code /tmp/embedded-pg} where anyone could replace {@code postgres} before the next start;
 * <li>the platform connects as {@code migadmin}, which owns the {@code mig} database but is no
 * superuser, so even an SQL injection could not run programs or read files as the server.
 * </ul>
 * A demo folder from an earlier version (trust logins, tables owned by {@code postgres}) is brought
 * to this state on its next start, keeping its data.
 */
final class EmbeddedPostgres implements AutoCloseable {

    /** The platform's role: owns the database, no superuser, no CREATEROLE/CREATEDB. */
    static final String PLATFORM_ROLE = "migadmin";

    static final String SUPERUSER = "postgres";
    static final String DATABASE = "mig";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;
    private final Properties credentials;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg, Properties credentials) {
        this.pg = pg;
        this.credentials = credentials;
    }

    /** Starts the server of demo folder {@code demo} (data in {@code pgdata}) on {@code port}, or a free port if 0. */
    static EmbeddedPostgres start(Path demo, int port) throws IOException {
        privateDir(demo);
        Path dataDir = demo.resolve("pgdata");
        Path binDir = demo.resolve("pg-bin");
        Files.createDirectories(dataDir);
        privateDir(binDir);
        Properties credentials = credentials(demo.resolve("pg-credentials"));
        // zonky's builder always creates and sweeps its "parent directory", /tmp/embedded-pg unless this
        // property says otherwise; a folder another user made there could make it run pg_ctl on it
        System.setProperty("ot.epg.working-dir", binDir.toString());
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setOverrideWorkingDirectory(binDir.toFile())
                // zonky keeps one unpacked copy per resolver and JVM, wherever it was unpacked first:
                // a resolver of our own (a new instance each start) makes it unpack into binDir
                .setPgBinaryResolver(new PrivateBinaries(binDir))
                // zonky's initdb is "-A trust": before the server starts, replace its pg_hba.conf and
                // give the superuser its password (in single-user mode, so no login is open meanwhile)
                .setDataDirectoryCustomizer(dir -> lockDown(dir.toPath(), binDir, credentials.getProperty(SUPERUSER)))
                .setServerConfig("unix_socket_directories", "''")
                .setServerConfig("listen_addresses", "localhost")
                .setConnectConfig("password", credentials.getProperty(SUPERUSER));
        if (port > 0) {
            builder.setPort(port);
        }
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres started;
        try {
            started = builder.start();
        } finally {
            // zonky makes its working directory world-writable (setWritable(true, false)); it sits
            // in the 0700 demo folder, but keep it private as well
            privateDir(binDir);
        }
        EmbeddedPostgres server = new EmbeddedPostgres(started, credentials);
        try {
            server.preparePlatformDatabase();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The platform's connection settings: the {@code mig} database as {@link #PLATFORM_ROLE}, with its password. */
    DbConfig platformDatabase(int maxConn) {
        return DbConfig.ofJdbcUrl(jdbcUrl(DATABASE), PLATFORM_ROLE, credentials.getProperty(PLATFORM_ROLE), maxConn);
    }

    /** JDBC URL of a database on this server (loopback TCP; every role needs its password). */
    String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + database;
    }

    /** The superuser's password (for the demo's own setup and for tests). */
    String superuserPassword() {
        return credentials.getProperty(SUPERUSER);
    }

    int port() {
        return pg.getPort();
    }

    /** Creates or updates the platform role and database, and hands over objects an older version left to postgres. */
    private void preparePlatformDatabase() throws IOException {
        String password = credentials.getProperty(PLATFORM_ROLE);
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, superuserPassword());
                Statement st = c.createStatement()) {
            boolean roleExists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
                ps.setString(1, PLATFORM_ROLE);
                try (ResultSet rs = ps.executeQuery()) {
                    roleExists = rs.next();
                }
            }
            // the password is base64url (no quote can occur); roles take no bind parameters
            st.execute((roleExists ? "ALTER" : "CREATE") + " ROLE " + PLATFORM_ROLE
                    + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '"
                    + password + "'");
            boolean dbExists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, DATABASE);
                try (ResultSet rs = ps.executeQuery()) {
                    dbExists = rs.next();
                }
            }
            st.execute(
                    dbExists
                            ? "ALTER DATABASE " + DATABASE + " OWNER TO " + PLATFORM_ROLE
                            : "CREATE DATABASE " + DATABASE + " OWNER " + PLATFORM_ROLE);
        } catch (SQLException e) {
            throw new IOException(
                    "cannot prepare database " + DATABASE + " in the embedded PostgreSQL: " + e.getMessage(), e);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl(DATABASE), SUPERUSER, superuserPassword())) {
            handOver(c);
        } catch (SQLException e) {
            throw new IOException(
                    "cannot give the tables of database " + DATABASE + " to " + PLATFORM_ROLE + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Makes {@link #PLATFORM_ROLE} the owner of everything in schema public: a demo folder of an
     * earlier version had its tables made by the superuser. Tables first (that also moves their
     * serial sequences), then what is left.
     */
    private static void handOver(Connection c) throws SQLException {
        List<String> statements = new ArrayList<>();
        String notOurs = "n.nspname = 'public' AND pg_get_userbyid(%s) <> '" + PLATFORM_ROLE + "'";
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n "
                    + "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm') AND "
                    + notOurs.formatted("c.relowner"))) {
                while (rs.next()) {
                    statements.add("ALTER TABLE " + rs.getString(1) + " OWNER TO " + PLATFORM_ROLE);
                }
            }
            for (String s : statements) {
                st.execute(s);
            }
            statements.clear();
            try (ResultSet rs = st.executeQuery("SELECT quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n "
                    + "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND " + notOurs.formatted("c.relowner"))) {
                while (rs.next()) {
                    statements.add("ALTER SEQUENCE " + rs.getString(1) + " OWNER TO " + PLATFORM_ROLE);
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n "
                    + "ON n.oid = p.pronamespace WHERE " + notOurs.formatted("p.proowner"))) {
                while (rs.next()) {
                    statements.add("ALTER ROUTINE " + rs.getString(1) + " OWNER TO " + PLATFORM_ROLE);
                }
            }
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /**
     * Before each start: only password logins over loopback TCP, and the superuser's password set
     * (again: the credentials file is the truth, so a lost or older one is healed).
     */
    private static void lockDown(Path dataDir, Path binDir, String superuserPassword) {
        try {
            Path hba = dataDir.resolve("pg_hba.conf");
            Path tmp = dataDir.resolve("pg_hba.conf.mig-standalone");
            Files.writeString(
                    tmp,
                    "# Written by mig-standalone at each start: every login needs its password\n"
                            + "# (see pg-credentials in the demo folder). No 'local' line: no unix-socket logins.\n"
                            + "host all all 127.0.0.1/32 scram-sha-256\n"
                            + "host all all ::1/128 scram-sha-256\n");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            setSuperuserPassword(dataDir, postgresBinary(binDir), superuserPassword);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot secure the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The {@code postgres} binary zonky unpacked last under {@code binDir}. */
    private static Path postgresBinary(Path binDir) throws IOException {
        try (Stream<Path> dirs = Files.list(binDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("PG-"))
                    .filter(d -> Files.isRegularFile(d.resolve(".exists")))
                    .max(Comparator.comparingLong(
                            d -> d.resolve(".exists").toFile().lastModified()))
                    .map(d -> d.resolve("bin/postgres"))
                    .orElseThrow(() -> new IOException("no unpacked PostgreSQL under " + binDir));
        }
    }

    /** {@code postgres --single}: sets the password before any connection can be made. */
    private static void setSuperuserPassword(Path dataDir, Path postgres, String password) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // as zonky runs it: PostgreSQL refuses to run as root, in a user namespace it is not root
            cmd.addAll(List.of("unshare", "-U"));
        }
        cmd.addAll(List.of(
                postgres.toString(),
                "--single",
                "-D",
                dataDir.toString(),
                "-F",
                "-c",
                "unix_socket_directories=",
                "-c",
                "listen_addresses=",
                "postgres"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(("ALTER ROLE " + SUPERUSER + " WITH PASSWORD '" + password + "';\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        String output;
        try (InputStream out = p.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("postgres --single did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the PostgreSQL password", e);
        }
        if (p.exitValue() != 0 || output.contains("ERROR")) {
            throw new IOException(
                    "setting the PostgreSQL superuser password failed (exit " + p.exitValue() + "): " + output.strip());
        }
    }

    /** zonky's own binaries, under a resolver that is equal only to itself (see the builder above). */
    private static final class PrivateBinaries implements io.zonky.test.db.postgres.embedded.PgBinaryResolver {
        private final Path dir;

        PrivateBinaries(Path dir) {
            this.dir = dir;
        }

        @Override
        public InputStream getPgBinary(String system, String machineHardware) throws IOException {
            return io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(
                    system, machineHardware);
        }

        @Override
        public String toString() {
            return "PostgreSQL binaries for " + dir;
        }
    }

    /** The passwords of {@code file}, generated (0600) on first use. */
    private static Properties credentials(Path file) throws IOException {
        Properties props = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            }
        }
        boolean changed = false;
        for (String role : List.of(SUPERUSER, PLATFORM_ROLE)) {
            String pw = props.getProperty(role, "");
            if (!pw.matches("[A-Za-z0-9_-]{20,}")) {
                byte[] b = new byte[24];
                RANDOM.nextBytes(b);
                props.setProperty(role, Base64.getUrlEncoder().withoutPadding().encodeToString(b));
                changed = true;
            }
        }
        if (changed) {
            Path tmp = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                props.store(out, "Embedded PostgreSQL passwords of mig-standalone (generated; keep private)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return props;
    }

    /** Creates {@code dir} if needed and makes it 0700 (an older demo folder was made with the umask). */
    static void privateDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}

package mig.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import mig.database.DbConfig;
import mig.database.MigDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack of issue 17 on the demo's PostgreSQL: another local user logging in without a password
 * (TCP or unix socket), running a program through {@code COPY ... TO PROGRAM} with the platform's
 * credentials, or replacing the unpacked binaries.
 */
class EmbeddedPostgresIT {

    @TempDir
    Path demo;

    @Test
    void aLoginWithoutThePasswordIsRefusedAndThePlatformRoleCannotRunPrograms() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(demo, 0)) {
            String url = pg.jdbcUrl("postgres");
            SQLException none = assertThrows(
                    SQLException.class,
                    () -> DriverManager.getConnection(url, "postgres", "").close());
            assertTrue(none.getMessage().contains("password"), none.getMessage());
            SQLException wrong = assertThrows(
                    SQLException.class,
                    () -> DriverManager.getConnection(url, "postgres", "postgres")
                            .close());
            assertEquals("28P01", wrong.getSQLState(), wrong.getMessage());
            assertThrows(
                    SQLException.class,
                    () -> DriverManager.getConnection(url, "migadmin", "").close());
            try (Stream<Path> tmp = Files.list(Path.of("/tmp"))) {
                assertFalse(
                        tmp.anyMatch(p -> p.getFileName().toString().equals(".s.PGSQL." + pg.port())),
                        "no unix socket to log in through");
            }

            DbConfig platform = pg.platformDatabase(2);
            assertEquals("migadmin", platform.user());
            try (MigDatabase db = MigDatabase.open(platform, "embedded-pg-it").migrate();
                    Connection c = db.connection();
                    Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                    assertTrue(rs.next());
                    assertFalse(rs.getBoolean(1), "the platform's role is no superuser");
                }
                Path proof = demo.resolve("ran");
                SQLException copy = assertThrows(
                        SQLException.class, () -> st.execute("COPY (SELECT 1) TO PROGRAM 'touch " + proof + "'"));
                assertEquals("42501", copy.getSQLState(), copy.getMessage());
                assertFalse(Files.exists(proof), "no program ran");
                SQLException read = assertThrows(
                        SQLException.class,
                        () -> st.executeQuery("SELECT pg_read_file('" + demo.resolve("pg-credentials") + "')"));
                assertEquals("42501", read.getSQLState(), read.getMessage());
                // the schema was made by the platform's role, which owns it
                try (ResultSet rs = st.executeQuery(
                        "SELECT pg_get_userbyid(relowner) FROM pg_class " + "WHERE relname = 'actions'")) {
                    assertTrue(rs.next());
                    assertEquals("migadmin", rs.getString(1));
                }
            }
            assertPrivate(demo, pg);
        }
    }

    @Test
    void aDemoFolderOfAnEarlierVersionIsLockedDownAndKeepsItsData() throws Exception {
        // what the earlier version did: zonky's defaults (trust logins), tables made by postgres (its
        // binaries went to /tmp/embedded-pg; this test leaves the shared /tmp alone)
        Path data = demo.resolve("pgdata");
        try (var old = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setOverrideWorkingDirectory(demo.resolve("old-bin").toFile())
                .start()) {
            try (Connection c = DriverManager.getConnection(old.getJdbcUrl("postgres", "postgres"), "postgres", "");
                    Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE mig");
            }
            try (MigDatabase db = MigDatabase.open(
                                    DbConfig.ofJdbcUrl(old.getJdbcUrl("postgres", "mig"), "postgres", "", 2), "old")
                            .migrate();
                    Connection c = db.connection();
                    Statement st = c.createStatement()) {
                st.execute("INSERT INTO investigators (name, status, createdat, lastmodified, permissions) "
                        + "VALUES ('from the old demo', 'active', now(), now(), 0)");
            }
        }
        Files.setPosixFilePermissions(demo, PosixFilePermissions.fromString("rwxr-xr-x"));

        try (EmbeddedPostgres pg = EmbeddedPostgres.start(demo, 0)) {
            assertThrows(
                    SQLException.class,
                    () -> DriverManager.getConnection(pg.jdbcUrl("mig"), "postgres", "")
                            .close());
            try (MigDatabase db =
                            MigDatabase.open(pg.platformDatabase(2), "new").migrate();
                    Connection c = db.connection();
                    Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT name FROM investigators")) {
                    assertTrue(rs.next());
                    assertEquals("from the old demo", rs.getString(1));
                }
                // the platform's role owns the old tables now, so it can keep writing them
                st.execute("INSERT INTO investigators (name, status, createdat, lastmodified, permissions) "
                        + "VALUES ('after the upgrade', 'active', now(), now(), 0)");
            }
            assertPrivate(demo, pg);
        }
        // and a second start of the upgraded folder finds the same passwords and data
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(demo, 0);
                Connection c = DriverManager.getConnection(
                        pg.jdbcUrl("mig"), "migadmin", pg.platformDatabase(1).password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM investigators")) {
            assertTrue(rs.next());
            assertEquals(2, rs.getInt(1));
        }
    }

    /** The demo folder and the unpacked binaries are the owner's only; the passwords file too. */
    private static void assertPrivate(Path demo, EmbeddedPostgres pg) throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(demo)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(demo.resolve("pg-bin"))));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(demo.resolve("pg-credentials"))));
        try (Stream<Path> unpacked = Files.list(demo.resolve("pg-bin"))) {
            assertTrue(
                    unpacked.anyMatch(d -> Files.isRegularFile(d.resolve("bin/postgres"))),
                    "the binaries are unpacked in the private folder");
        }
        assertTrue(pg.superuserPassword().length() >= 20);
    }
}

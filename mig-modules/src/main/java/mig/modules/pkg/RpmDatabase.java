package mig.modules.pkg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The rpm side of the package list. The original ran {@code rpm -qa} and, when that failed (no rpm
 * on the endpoint), listed no rpm package and said nothing. This module runs no command and reads no
 * rpm database: rpm keeps its headers in SQLite ({@code rpmdb.sqlite}), Berkeley DB ({@code Packages})
 * or ndb ({@code Packages.db}) files that Java cannot read without a native or third-party library.
 * So an endpoint without an rpm database lists no rpm package, as the original did; an endpoint with
 * one gets an error naming the database rather than a silently empty list.
 */
final class RpmDatabase {

    private static final List<String> FILES = List.of("rpmdb.sqlite", "Packages", "Packages.db");

    private final List<Path> dirs;

    /** @param dirs where rpm keeps its database: {@code /var/lib/rpm} and {@code /usr/lib/sysimage/rpm} */
    RpmDatabase(List<Path> dirs) {
        this.dirs = dirs;
    }

    /** The error for an rpm database found here, or null when there is none. */
    String unreadable() {
        for (Path d : dirs) {
            for (String f : FILES) {
                Path p = d.resolve(f);
                if (Files.isRegularFile(p)) {
                    return "rpm database " + p + " not read: this agent reads dpkg's database only"
                            + " (rpm's SQLite, Berkeley DB and ndb files need a library it does not ship);"
                            + " rpm packages are not listed";
                }
            }
        }
        return null;
    }
}

package mig.api.auth;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import mig.common.Permission;

/**
 * Who made a request, as the access log and the endpoints see it.
 *
 * @param category    investigator, loader or public (the original's request categories)
 * @param name        investigator or loader name; {@code noauth}, {@code authdisabled}, {@code authfailed}
 *                    or {@code authmissing} as in the original's logs
 * @param id          investigators.id (0 for no one or auth disabled, -1 when authentication failed)
 * @param permissions what this caller may do
 * @param fingerprint the primary-key fingerprint the caller proved with a PGP token, or "" (API key,
 *                    auth disabled, public)
 */
public record Caller(Category category, String name, long id, Set<Permission> permissions, String fingerprint) {

    /** The original's request categories, as written in the access log. */
    public enum Category {
        PUBLIC("public"),
        INVESTIGATOR("investigator"),
        LOADER("loader");

        private final String logName;

        Category(String logName) {
            this.logName = logName;
        }

        public String logName() {
            return logName;
        }
    }

    /** A request to a route without authentication. */
    public static final Caller NOBODY = new Caller(Category.PUBLIC, "noauth", 0, Set.of(), "");

    public Caller {
        Objects.requireNonNull(category, "category");
        name = Objects.requireNonNullElse(name, "");
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
        fingerprint = Objects.requireNonNullElse(fingerprint, "");
    }

    /** {@code [authentication] enabled = off}: the original's "authdisabled" investigator with every permission. */
    public static Caller authDisabled() {
        return new Caller(Category.INVESTIGATOR, "authdisabled", 0, EnumSet.allOf(Permission.class), "");
    }

    /** An investigator route whose caller did not authenticate ({@code authmissing} / {@code authfailed}). */
    public static Caller refused(String logName) {
        return new Caller(Category.INVESTIGATOR, logName, -1, Set.of(), "");
    }

    /** True for the "authdisabled" caller of an API running without authentication. */
    public boolean isAuthDisabled() {
        return category == Category.INVESTIGATOR && id == 0 && name.equals("authdisabled");
    }

    /** {@code [name id]}, as in the original's access log. */
    public String logLabel() {
        return "[" + name + " " + id + "]";
    }
}

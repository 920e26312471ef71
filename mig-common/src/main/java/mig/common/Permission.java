package mig.common;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * An investigator permission: its bit in {@code investigators.permissions} and its JSON name.
 * The declaration order is the bit order of the original ({@code 1 << iota}).
 */
public enum Permission {
    SEARCH("search"),
    ACTION("action"),
    ACTION_CREATE("action_create"),
    COMMAND("command"),
    AGENT("agent"),
    DASHBOARD("dashboard"),
    LOADER("loader"),
    LOADER_STATUS("loader_status"),
    LOADER_EXPECT("loader_expect"),
    LOADER_KEY("loader_key"),
    LOADER_NEW("loader_new"),
    MANIFEST("manifest"),
    MANIFEST_SIGN("manifest_sign"),
    MANIFEST_NEW("manifest_new"),
    MANIFEST_STATUS("manifest_status"),
    MANIFEST_LOADERS("manifest_loaders"),
    INVESTIGATOR("investigator"),
    INVESTIGATOR_CREATE("investigator_create"),
    INVESTIGATOR_UPDATE("investigator_update");

    /** What every investigator gets ({@code Default} in the console). */
    public static final Set<Permission> DEFAULT = EnumSet.of(SEARCH, ACTION, ACTION_CREATE, COMMAND, AGENT, DASHBOARD);
    /** {@code PermAdmin}: managing investigators. */
    public static final Set<Permission> ADMIN = EnumSet.of(INVESTIGATOR, INVESTIGATOR_CREATE, INVESTIGATOR_UPDATE);
    /** {@code PermLoader}: managing loaders. */
    public static final Set<Permission> LOADER_SET =
            EnumSet.of(LOADER, LOADER_STATUS, LOADER_EXPECT, LOADER_KEY, LOADER_NEW);
    /** {@code PermManifest}: managing manifests. */
    public static final Set<Permission> MANIFEST_SET =
            EnumSet.of(MANIFEST, MANIFEST_SIGN, MANIFEST_NEW, MANIFEST_STATUS, MANIFEST_LOADERS);

    private final String jsonName;

    Permission(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The bit of this permission in the database mask. */
    public long bit() {
        return 1L << ordinal();
    }

    /** The JSON field name, e.g. {@code action_create}. */
    public String jsonName() {
        return jsonName;
    }

    /** The permissions set in {@code mask}; unknown high bits are ignored, as in the original. */
    public static Set<Permission> fromMask(long mask) {
        Set<Permission> set = EnumSet.noneOf(Permission.class);
        for (Permission p : values()) {
            if ((mask & p.bit()) != 0) {
                set.add(p);
            }
        }
        return set;
    }

    /** The database mask of {@code perms}. */
    public static long toMask(Set<Permission> perms) {
        long mask = 0;
        for (Permission p : perms) {
            mask |= p.bit();
        }
        return mask;
    }

    /** Looks a permission up by its JSON name, case-insensitively. */
    public static Permission byJsonName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Permission p : values()) {
            if (p.jsonName.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown permission '" + name + "'");
    }
}

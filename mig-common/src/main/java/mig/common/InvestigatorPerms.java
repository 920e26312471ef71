package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.EnumSet;
import java.util.Set;

/**
 * An investigator's permissions as JSON: MIG's {@code mig.InvestigatorPerms}, one boolean per
 * {@link Permission}, in the original's field order (which differs from the bit order for two
 * manifest permissions).
 */
public record InvestigatorPerms(
        @JsonProperty("search") boolean search,
        @JsonProperty("action") boolean action,
        @JsonProperty("action_create") boolean actionCreate,
        @JsonProperty("command") boolean command,
        @JsonProperty("agent") boolean agent,
        @JsonProperty("dashboard") boolean dashboard,
        @JsonProperty("loader") boolean loader,
        @JsonProperty("loader_status") boolean loaderStatus,
        @JsonProperty("loader_expect") boolean loaderExpect,
        @JsonProperty("loader_key") boolean loaderKey,
        @JsonProperty("loader_new") boolean loaderNew,
        @JsonProperty("manifest") boolean manifest,
        @JsonProperty("manifest_sign") boolean manifestSign,
        @JsonProperty("manifest_status") boolean manifestStatus,
        @JsonProperty("manifest_new") boolean manifestNew,
        @JsonProperty("manifest_loaders") boolean manifestLoaders,
        @JsonProperty("investigator") boolean investigator,
        @JsonProperty("investigator_create") boolean investigatorCreate,
        @JsonProperty("investigator_update") boolean investigatorUpdate) {

    /** The JSON form of a permission set. */
    public static InvestigatorPerms of(Set<Permission> p) {
        return new InvestigatorPerms(
                p.contains(Permission.SEARCH),
                p.contains(Permission.ACTION),
                p.contains(Permission.ACTION_CREATE),
                p.contains(Permission.COMMAND),
                p.contains(Permission.AGENT),
                p.contains(Permission.DASHBOARD),
                p.contains(Permission.LOADER),
                p.contains(Permission.LOADER_STATUS),
                p.contains(Permission.LOADER_EXPECT),
                p.contains(Permission.LOADER_KEY),
                p.contains(Permission.LOADER_NEW),
                p.contains(Permission.MANIFEST),
                p.contains(Permission.MANIFEST_SIGN),
                p.contains(Permission.MANIFEST_STATUS),
                p.contains(Permission.MANIFEST_NEW),
                p.contains(Permission.MANIFEST_LOADERS),
                p.contains(Permission.INVESTIGATOR),
                p.contains(Permission.INVESTIGATOR_CREATE),
                p.contains(Permission.INVESTIGATOR_UPDATE));
    }

    /** The JSON form of a database mask. */
    public static InvestigatorPerms fromMask(long mask) {
        return of(Permission.fromMask(mask));
    }

    /** The permissions that are set. */
    public Set<Permission> toSet() {
        Set<Permission> s = EnumSet.noneOf(Permission.class);
        boolean[] flags = {
            search,
            action,
            actionCreate,
            command,
            agent,
            dashboard,
            loader,
            loaderStatus,
            loaderExpect,
            loaderKey,
            loaderNew,
            manifest,
            manifestSign,
            manifestNew,
            manifestStatus,
            manifestLoaders,
            investigator,
            investigatorCreate,
            investigatorUpdate
        };
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                s.add(Permission.values()[i]);
            }
        }
        return s;
    }

    /** The database mask. */
    public long toMask() {
        return Permission.toMask(toSet());
    }

    /** True if {@code p} is granted. */
    public boolean has(Permission p) {
        return toSet().contains(p);
    }
}

package mig.api.http;

import mig.common.Permission;

/** Who may call a route: anyone, an investigator holding a permission, or a loader (by loader key). */
public sealed interface Access permits Access.Public, Access.Investigator, Access.Loader {

    /** No authentication (health, client IP, public keys, agent heartbeats). */
    record Public() implements Access {}

    /** An authenticated investigator holding {@code permission} (X-PGPAUTHORIZATION or X-MIGAPIKEY). */
    record Investigator(Permission permission) implements Access {}

    /** A loader authenticated by its X-LOADERKEY. */
    record Loader() implements Access {}

    static Access open() {
        return new Public();
    }

    static Access investigator(Permission permission) {
        return new Investigator(permission);
    }

    static Access loader() {
        return new Loader();
    }
}

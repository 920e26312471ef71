package mig.modules.pkg;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One installed package as the original's scribe {@code PackageInfo} reported it: {@code name}
 * (dpkg's non-ambiguous name, {@code libssl3:amd64} for a Multi-Arch: same package), {@code version}
 * (with its epoch), {@code type} ({@code dpkg} or {@code rpm}) and {@code arch}.
 */
record PackageInfo(
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("type") String type,
        @JsonProperty("arch") String arch) {

    /** The module's elements, in the original's field order. */
    record Elements(@JsonProperty("packages") java.util.List<PackageInfo> packages) {}

    /** The module's statistics. */
    record Statistics(@JsonProperty("execruntime") String execruntime) {}
}

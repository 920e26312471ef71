package mig.common.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One file of a manifest, as MIG's {@code mig.ManifestEntry}: the bundle name and its SHA-256 (hex). */
public record ManifestEntry(
        @JsonProperty("name") String name,
        @JsonProperty("sha256") String sha256) {}

package mig.common.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import mig.common.Agent;

/**
 * What a loader posts (form field {@code parameters}) to {@code /manifest/agent/} and
 * {@code /manifest/fetch/}: MIG's {@code mig.ManifestParameters}, the agent it runs for and, when
 * fetching, the bundle name of the file it wants.
 */
public record ManifestParameters(
        @JsonProperty("agent") Agent agent,
        @JsonProperty("object") String object) {}

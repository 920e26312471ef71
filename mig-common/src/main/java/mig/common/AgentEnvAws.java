package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import mig.common.json.OmitEmpty;

/** AWS instance metadata of an endpoint: MIG's {@code mig.AgentEnvAWS} (all omitted when empty). */
public record AgentEnvAws(
        @JsonProperty("instanceid") @OmitEmpty String instanceId,
        @JsonProperty("localipv4") @OmitEmpty String localIpv4,
        @JsonProperty("amiid") @OmitEmpty String amiId,
        @JsonProperty("instancetype") @OmitEmpty String instanceType) {

    public static final AgentEnvAws EMPTY = new AgentEnvAws("", "", "", "");

    public AgentEnvAws {
        instanceId = Objects.requireNonNullElse(instanceId, "");
        localIpv4 = Objects.requireNonNullElse(localIpv4, "");
        amiId = Objects.requireNonNullElse(amiId, "");
        instanceType = Objects.requireNonNullElse(instanceType, "");
    }
}

package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import mig.common.json.OmitEmpty;

/** What an agent reports about its endpoint: MIG's {@code mig.AgentEnv}. Targets query these keys. */
public record AgentEnv(
        @JsonProperty("init") @OmitEmpty String init,
        @JsonProperty("ident") @OmitEmpty String ident,
        @JsonProperty("os") @OmitEmpty String os,
        @JsonProperty("arch") @OmitEmpty String arch,
        @JsonProperty("isproxied") boolean isProxied,
        @JsonProperty("proxy") @OmitEmpty String proxy,
        @JsonProperty("addresses") @OmitEmpty List<String> addresses,
        @JsonProperty("publicip") @OmitEmpty String publicIp,
        @JsonProperty("aws") AgentEnvAws aws,
        @JsonProperty("modules") @OmitEmpty List<String> modules) {

    public static final AgentEnv EMPTY = new AgentEnv("", "", "", "", false, "", null, "", AgentEnvAws.EMPTY, null);

    public AgentEnv {
        init = Objects.requireNonNullElse(init, "");
        ident = Objects.requireNonNullElse(ident, "");
        os = Objects.requireNonNullElse(os, "");
        arch = Objects.requireNonNullElse(arch, "");
        proxy = Objects.requireNonNullElse(proxy, "");
        addresses = addresses == null ? null : List.copyOf(addresses);
        publicIp = Objects.requireNonNullElse(publicIp, "");
        aws = Objects.requireNonNullElse(aws, AgentEnvAws.EMPTY);
        modules = modules == null ? null : List.copyOf(modules);
    }
}

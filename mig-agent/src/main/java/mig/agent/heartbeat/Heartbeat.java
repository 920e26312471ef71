package mig.agent.heartbeat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mig.agent.env.HostFacts;
import mig.common.AgentEnv;

/**
 * The body the final original agent POSTs to {@code <api>/heartbeat} (spec §2.4): camelCase names,
 * tags as a list, nothing omitted. Field order and names are the wire contract; compare with
 * {@code http-stream-heartbeat.txt}.
 *
 * @param startTime   the time of this heartbeat, as the original fills it (not the process start)
 * @param refreshTime when the environment last changed
 */
public record Heartbeat(
        @JsonProperty("name") String name,
        @JsonProperty("mode") String mode,
        @JsonProperty("version") String version,
        @JsonProperty("pid") long pid,
        @JsonProperty("queueLoc") String queueLoc,
        @JsonProperty("startTime") Instant startTime,
        @JsonProperty("refreshTime") Instant refreshTime,
        @JsonProperty("environment") Environment environment,
        @JsonProperty("tags") List<Tag> tags) {

    /** The heartbeat's environment: MIG's {@code AgentEnv} without AWS, in camelCase. */
    public record Environment(
            @JsonProperty("init") String init,
            @JsonProperty("ident") String ident,
            @JsonProperty("os") String os,
            @JsonProperty("arch") String arch,
            @JsonProperty("isProxied") boolean isProxied,
            @JsonProperty("proxy") String proxy,
            @JsonProperty("addresses") List<String> addresses,
            @JsonProperty("publicIP") String publicIp,
            @JsonProperty("modules") List<String> modules) {

        static Environment of(AgentEnv env) {
            return new Environment(env.init(), env.ident(), env.os(), env.arch(), env.isProxied(), env.proxy(),
                    env.addresses(), env.publicIp(), env.modules());
        }
    }

    /** One operator tag. */
    public record Tag(@JsonProperty("name") String name, @JsonProperty("value") String value) {
    }

    /** A heartbeat of this agent at {@code now}; tags in name order. */
    public static Heartbeat of(HostFacts facts, String mode, String version, long pid, String queueLoc,
            Instant now, Instant refreshTime, Map<String, String> tags) {
        List<Tag> tagList = tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Tag(e.getKey(), e.getValue())).toList();
        return new Heartbeat(facts.hostname(), mode, version, pid, queueLoc, now, refreshTime,
                Environment.of(facts.env()), tagList);
    }
}

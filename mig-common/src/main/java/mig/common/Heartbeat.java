package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import mig.common.json.GoTime;

/**
 * The body of an agent's {@code POST <api>/heartbeat} (spec §2.4), the one record the agent writes
 * and the API reads: camelCase keys, tags as a list of name/value pairs (unlike the {@link Agent}
 * JSON of the rest of the API), nothing omitted. Field order and names are the wire contract; compare
 * with {@code http-stream-heartbeat.txt}. Absent strings read as empty and absent times as Go's zero
 * time, as the original's decoder leaves them.
 *
 * @param startTime   the time of this heartbeat, as the original agent fills it (not the process start)
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

    /** What the agent reports about its endpoint: MIG's {@code AgentEnv} without AWS, in camelCase. */
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

        static final Environment EMPTY = new Environment("", "", "", "", false, "", null, "", null);

        public Environment {
            init = Objects.requireNonNullElse(init, "");
            ident = Objects.requireNonNullElse(ident, "");
            os = Objects.requireNonNullElse(os, "");
            arch = Objects.requireNonNullElse(arch, "");
            proxy = Objects.requireNonNullElse(proxy, "");
            publicIp = Objects.requireNonNullElse(publicIp, "");
        }

        static Environment of(AgentEnv env) {
            return new Environment(
                    env.init(),
                    env.ident(),
                    env.os(),
                    env.arch(),
                    env.isProxied(),
                    env.proxy(),
                    env.addresses(),
                    env.publicIp(),
                    env.modules());
        }
    }

    /** One operator tag. */
    public record Tag(
            @JsonProperty("name") String name,
            @JsonProperty("value") String value) {}

    public Heartbeat {
        name = Objects.requireNonNullElse(name, "");
        mode = Objects.requireNonNullElse(mode, "");
        version = Objects.requireNonNullElse(version, "");
        queueLoc = Objects.requireNonNullElse(queueLoc, "");
        startTime = GoTime.orZero(startTime);
        refreshTime = GoTime.orZero(refreshTime);
        environment = Objects.requireNonNullElse(environment, Environment.EMPTY);
    }

    /** An agent's heartbeat at {@code now}; tags in name order. */
    public static Heartbeat of(
            String hostname,
            AgentEnv env,
            String mode,
            String version,
            long pid,
            String queueLoc,
            Instant now,
            Instant refreshTime,
            Map<String, String> tags) {
        List<Tag> tagList = tags.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new Tag(e.getKey(), e.getValue()))
                .toList();
        return new Heartbeat(hostname, mode, version, pid, queueLoc, now, refreshTime, Environment.of(env), tagList);
    }

    /** The fields the original requires, in its order, that are missing (empty or zero). */
    public List<String> missingFields() {
        List<String> missing = new ArrayList<>();
        addIf(missing, name.isEmpty(), "name");
        addIf(missing, mode.isEmpty(), "mode");
        addIf(missing, version.isEmpty(), "version");
        addIf(missing, queueLoc.isEmpty(), "queueLoc");
        addIf(missing, pid == 0, "pid");
        addIf(missing, environment.init().isEmpty(), "environment.init");
        addIf(missing, environment.ident().isEmpty(), "environment.ident");
        addIf(missing, environment.os().isEmpty(), "environment.os");
        addIf(missing, environment.arch().isEmpty(), "environment.arch");
        addIf(missing, environment.publicIp().isEmpty(), "environment.publicIP");
        return missing;
    }

    private static void addIf(List<String> list, boolean cond, String name) {
        if (cond) {
            list.add(name);
        }
    }

    /** The agent row this heartbeat describes (status online; times of the row are the database's). */
    public Agent toAgent() {
        Map<String, String> tagMap = new LinkedHashMap<>();
        if (tags != null) {
            for (Tag t : tags) {
                if (t != null) {
                    tagMap.put(Objects.requireNonNullElse(t.name(), ""), Objects.requireNonNullElse(t.value(), ""));
                }
            }
        }
        AgentEnv env = new AgentEnv(
                environment.init(),
                environment.ident(),
                environment.os(),
                environment.arch(),
                environment.isProxied(),
                environment.proxy(),
                environment.addresses(),
                environment.publicIp(),
                AgentEnvAws.EMPTY,
                environment.modules());
        return new Agent(
                0,
                name,
                queueLoc,
                mode,
                version,
                (int) pid,
                "",
                startTime,
                null,
                null,
                refreshTime,
                Agent.STATUS_ONLINE,
                false,
                env,
                tagMap);
    }
}

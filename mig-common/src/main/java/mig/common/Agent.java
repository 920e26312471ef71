package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import mig.common.json.GoTime;
import mig.common.json.OmitEmpty;

/**
 * One agent process on one endpoint, as the API and the database know it: MIG's {@code mig.Agent}
 * (also the body of legacy AMQP heartbeats). An endpoint is identified by {@code queueloc}; a
 * restarted agent is a new row with the same queueloc and another pid.
 */
public record Agent(
        @JsonProperty("id") @OmitEmpty long id,
        @JsonProperty("name") String name,
        @JsonProperty("queueloc") String queueLoc,
        @JsonProperty("mode") String mode,
        @JsonProperty("version") @OmitEmpty String version,
        @JsonProperty("pid") @OmitEmpty int pid,
        @JsonProperty("loadername") @OmitEmpty String loaderName,
        @JsonProperty("starttime") Instant startTime,
        @JsonProperty("destructiontime") Instant destructionTime,
        @JsonProperty("heartbeatts") Instant heartbeatTs,
        @JsonProperty("refreshts") Instant refreshTs,
        @JsonProperty("status") @OmitEmpty String status,
        @JsonProperty("authorized") @OmitEmpty boolean authorized,
        @JsonProperty("environment") AgentEnv environment,
        @JsonProperty("tags") @OmitEmpty Map<String, String> tags) {

    public static final String STATUS_ONLINE = "online";
    public static final String STATUS_IDLE = "idle";
    public static final String STATUS_OFFLINE = "offline";
    public static final String STATUS_DESTROYED = "destroyed";

    public static final String MODE_DAEMON = "daemon";
    public static final String MODE_CHECKIN = "checkin";

    /** Go's zero {@code Agent}. */
    public static final Agent EMPTY =
            new Agent(0, "", "", "", "", 0, "", null, null, null, null, "", false, AgentEnv.EMPTY, null);

    public Agent {
        name = Objects.requireNonNullElse(name, "");
        queueLoc = Objects.requireNonNullElse(queueLoc, "");
        mode = Objects.requireNonNullElse(mode, "");
        version = Objects.requireNonNullElse(version, "");
        loaderName = Objects.requireNonNullElse(loaderName, "");
        startTime = GoTime.orZero(startTime);
        destructionTime = GoTime.orZero(destructionTime);
        heartbeatTs = GoTime.orZero(heartbeatTs);
        refreshTs = GoTime.orZero(refreshTs);
        status = Objects.requireNonNullElse(status, "");
        environment = Objects.requireNonNullElse(environment, AgentEnv.EMPTY);
        tags = tags == null ? null : Map.copyOf(tags);
    }
}

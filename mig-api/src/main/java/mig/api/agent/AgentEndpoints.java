package mig.api.agent;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mig.api.action.Views;
import mig.api.collection.CollectionJson;
import mig.api.collection.Item;
import mig.api.http.ApiException;
import mig.api.http.Call;
import mig.api.http.Ids;
import mig.api.http.Reply;
import mig.api.http.Text;
import mig.common.Agent;
import mig.common.Heartbeat;
import mig.common.heartbeat.HeartbeatAuth;
import mig.common.heartbeat.HeartbeatSettings;
import mig.common.heartbeat.RateLimiter;
import mig.common.heartbeat.RefusalLog;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.database.AgentStore;
import mig.database.DatabaseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /agent?agentid=} and the agents' own {@code POST /heartbeat}.
 *
 * <p>Heartbeats answer like the original's handler: {@code {"error":null}} with 200, or
 * {@code {"error":"<why>"}} with 400 for a body that does not decode, lacks a required field, is
 * expired ({@code startTime} more than 5 minutes old), has a bad mode or too long a name or version.
 * Ours on top ({@code [heartbeats]} of api.cfg): 429 past the rate limits per source address and
 * per queueloc (the original agent logs a failed heartbeat and sends the next one a period later),
 * 409 for a heartbeat that would rename a running agent ({@link AgentStore#heartbeat}), and, with
 * {@code [heartbeats] secret} set, 401 for a heartbeat without the right {@link HeartbeatAuth} header.
 */
public final class AgentEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(AgentEndpoints.class);

    /** Heartbeats are 0.5-5 kB; anything past this is refused. */
    public static final int MAX_HEARTBEAT = 100 * 1024;

    static final Duration EXPIRY = Duration.ofMinutes(5);

    private final AgentStore agents;
    private final Clock clock;
    private final HeartbeatSettings settings;
    private final RateLimiter perAddress;
    private final RateLimiter perQueueLoc;
    private final RefusalLog refusals = new RefusalLog(LOG);

    public AgentEndpoints(AgentStore agents, Clock clock, HeartbeatSettings settings) {
        this.agents = agents;
        this.clock = clock;
        this.settings = settings;
        this.perAddress = new RateLimiter(settings.perAddress());
        this.perQueueLoc = new RateLimiter(settings.perQueueLoc());
    }

    /** {@code GET /agent?agentid=}. */
    public Reply get(Call call) {
        Ids.Parsed id = Ids.positive("agentid", call.query().get("agentid"), "Agent");
        Agent a = id.exact().stream()
                .mapToObj(agents::get)
                .flatMap(java.util.Optional::stream)
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("Agent ID '" + id.shown() + "' not found"));
        return Reply.of(200, new CollectionJson(call.href()).add(agentItem(call.baseUrl(), Views.agentById(a))));
    }

    /** An agent as an item: href {@code <base>/agent?agentid=<id>}, data {@code agent}. */
    public static Item agentItem(String baseUrl, Agent a) {
        return Item.of(baseUrl + "/agent?agentid=" + a.id(), "agent", a);
    }

    /** {@code POST /heartbeat}: records the agent as online. */
    public Reply heartbeat(Call call) {
        byte[] body;
        try {
            body = call.body(MAX_HEARTBEAT);
        } catch (ApiException e) {
            return error(e.status(), e.getMessage());
        }
        // Limits before the body is decoded or stored: a flood costs as little as possible. The
        // (bounded) body is read first all the same: answering before it is read makes the server
        // close the connection under the sender, which then sees a broken pipe instead of the 429.
        String address = call.clientIp();
        if (!perAddress.tryTake(address)) {
            refusals.refused("source address " + address + " (at most " + settings.perAddress() + " a minute)");
            return error(
                    429, "Too many heartbeats from " + address + ": at most " + settings.perAddress() + " a minute");
        }
        if (settings.authenticated()
                && !HeartbeatAuth.verify(
                        settings.secret(),
                        body,
                        call.header(HeartbeatAuth.HEADER).orElse(null))) {
            // Checked before the body is decoded or counted against its queueloc: a forger can
            // then neither cost much nor use up a real agent's share of the per-queueloc limit.
            refusals.refused("unauthenticated heartbeat from " + address);
            return error(401, "Refused heartbeat: not authenticated (" + HeartbeatAuth.HEADER + " missing or wrong)");
        }
        Heartbeat hb;
        try {
            hb = GoJson.unmarshal(new String(body, StandardCharsets.UTF_8), Heartbeat.class);
        } catch (GoJsonException e) {
            return error(400, "Failed to decode request body: " + e.getMessage());
        }
        if (hb == null) {
            return error(400, "Failed to decode request body: expected a JSON object, got null");
        }
        List<String> missing = hb.missingFields();
        if (!missing.isEmpty()) {
            return error(400, "Missing fields in request body: missing field(s): " + String.join(", ", missing));
        }
        if (!perQueueLoc.tryTake(hb.queueLoc())) {
            refusals.refused("queueloc " + Text.shorten(hb.queueLoc()) + " from " + address + " (at most "
                    + settings.perQueueLoc() + " a minute)");
            return error(429, "Too many heartbeats for this queueLoc: at most " + settings.perQueueLoc() + " a minute");
        }
        String invalid = invalid(hb, clock.instant());
        if (invalid != null) {
            return error(400, "Invalid heartbeat: " + invalid);
        }
        try {
            long id = agents.heartbeat(hb.toAgent(), clock.instant());
            LOG.debug("heartbeat of {} pid {} recorded as agent {}", hb.queueLoc(), hb.pid(), id);
        } catch (AgentStore.IdentityConflict e) {
            // Someone else reporting as a running agent: refused, the agent's row is unchanged. 409
            // rather than the original's 200 because the original never rewrote the identity
            // either; a real agent never gets it (its identity is fixed while it runs).
            LOG.warn(
                    "heartbeat for {} pid {} as '{}' from {} refused: {}",
                    Text.shorten(hb.queueLoc()),
                    hb.pid(),
                    Text.shorten(hb.name()),
                    call.clientIp(),
                    e.getMessage());
            return error(409, "Refused heartbeat: " + e.getMessage());
        } catch (DatabaseException e) {
            LOG.error(
                    "cannot save the heartbeat of {} pid {}: {}",
                    Text.shorten(hb.queueLoc()),
                    hb.pid(),
                    e.getMessage());
            return error(500, "Failed to save heartbeat: " + e.getMessage());
        }
        return Reply.encoderJson(200, "{\"error\":null}");
    }

    /** The first sanity rule the heartbeat breaks, or null. */
    static String invalid(Heartbeat hb, Instant now) {
        if (now.minus(EXPIRY).isAfter(hb.startTime())) {
            return "heartbeat expired: startTime " + hb.startTime() + " is more than " + EXPIRY.toMinutes()
                    + " minutes before the server's time " + now;
        }
        if (!hb.mode().equals(Agent.MODE_DAEMON) && !hb.mode().equals(Agent.MODE_CHECKIN)) {
            return "agent reported an invalid mode '" + Text.shorten(hb.mode()) + "' (daemon or checkin)";
        }
        if (hb.name().length() > 1024) {
            return "agent reported a name that is too long (" + hb.name().length() + " characters, at most 1024)";
        }
        if (hb.version().length() > 128) {
            return "agent reported a version string that is too long ("
                    + hb.version().length() + " characters, at most 128)";
        }
        if (hb.queueLoc().length() > 2048) {
            return "agent reported a queueLoc that is too long ("
                    + hb.queueLoc().length() + " characters, at most 2048)";
        }
        if (hb.pid() < 0 || hb.pid() > Integer.MAX_VALUE) {
            return "agent reported an invalid pid " + hb.pid();
        }
        return null;
    }

    private static Reply error(int status, String message) {
        return Reply.encoderJson(status, GoJson.marshal(Map.of("error", message)));
    }
}

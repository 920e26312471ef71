package mig.api.cancel;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Clock;
import java.util.Set;
import mig.api.auth.Caller;
import mig.api.collection.CollectionJson;
import mig.api.collection.Item;
import mig.api.http.ApiException;
import mig.api.http.Call;
import mig.api.http.Form;
import mig.api.http.Ids;
import mig.api.http.Reply;
import mig.common.ActionCounters;
import mig.database.scheduling.CommandCompletion;
import mig.database.scheduling.CommandCompletion.Cancellation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /action/cancel/} (MIG for Java's own; the original could not stop an action): form
 * field {@code actionid}. Cancels the action's commands still waiting for an answer (they become
 * {@code cancelled}, and results that arrive later are dropped), or completes an action not
 * dispatched yet. Agents that already received a command still run it; its result is not stored.
 *
 * <p>Only an investigator who signed the action may cancel it, authenticated by a signed token
 * ({@code X-PGPAUTHORIZATION}); an API key is not enough, as it is no signature. Answers 200 with
 * an item {@code cancellation} (the action id, its status after, the commands cancelled and the
 * counters), 404 for an unknown action, 403 for a caller who did not sign it, 409 when nothing is
 * left to cancel.
 */
public final class CancelEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(CancelEndpoint.class);

    private final CommandCompletion completion;
    private final Clock clock;

    public CancelEndpoint(CommandCompletion completion, Clock clock) {
        this.completion = completion;
        this.clock = clock;
    }

    /** The answer's item. */
    public record Cancelled(
            @JsonProperty("actionid") long actionId,
            @JsonProperty("status") String status,
            @JsonProperty("cancelled") int cancelled,
            @JsonProperty("counters") ActionCounters counters) {}

    public Reply cancel(Call call) {
        Form form = call.form(Set.of("actionid"));
        Ids.Parsed parsed = Ids.positive("actionid", form.field("actionid").orElse(null), "Action");
        long id = parsed.exact().orElse(-1);
        Caller who = call.caller();
        boolean authDisabled = "authdisabled".equals(who.name()) && who.id() == 0;
        if (!authDisabled && who.fingerprint().isEmpty()) {
            throw new ApiException(
                    403, "cancelling an action needs a signed token (X-PGPAUTHORIZATION), not an API key");
        }
        Cancellation c = completion.cancel(id, authDisabled ? 0 : who.id(), clock.instant());
        switch (c.outcome()) {
            case NOT_FOUND -> throw ApiException.notFound("Action ID '" + parsed.shown() + "' not found");
            case NOT_A_SIGNER ->
                throw new ApiException(403, "only an investigator who signed action " + id + " may cancel it");
            case ALREADY_FINISHED ->
                throw new ApiException(409, "action " + id + " is " + c.status() + ": nothing left to cancel");
            default -> {}
        }
        LOG.info(
                "action {} cancelled by {}: {} commands cancelled, status {}",
                id,
                who.logLabel(),
                c.cancelled(),
                c.status());
        return Reply.of(
                200,
                new CollectionJson(call.href())
                        .add(Item.of(
                                call.baseUrl() + "/action?actionid=" + id,
                                "cancellation",
                                new Cancelled(id, c.status(), c.cancelled(), c.counters()))));
    }
}

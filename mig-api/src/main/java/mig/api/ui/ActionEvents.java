package mig.api.ui;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import mig.api.action.ActionWaiter;
import mig.api.action.Views;
import mig.api.auth.Authenticator;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.database.ActionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ui/events/action?actionid=}: an action's progress as Server-Sent Events, pushed when
 * the scheduler commits a command's result (the {@code mig_command_done} NOTIFY of the V2 migration,
 * through the API's one LISTEN connection, {@link ActionWaiter}), not polled by the page.
 *
 * <p>Each event is {@code event: action} with the action as {@code GET /action} shows it (signers,
 * counters, status). The stream ends with {@code event: end} once every command is done or the
 * action left the active statuses, or after {@link #MAX_STREAM} (the page reconnects). New commands
 * and status changes that nobody notifies are caught by a re-read every {@link #RECHECK}.
 *
 * <p>Authentication is the API's: the same headers and the permission of {@code GET /action}; a
 * refusal is a 401 with the API's message before any event is written. The page reads the stream
 * with {@code fetch} rather than {@code EventSource}, which cannot send the token header.
 */
final class ActionEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ActionEvents.class);

    static final Duration RECHECK = Duration.ofSeconds(2);
    static final Duration MAX_STREAM = Duration.ofMinutes(5);
    /** Each open stream holds a server thread; beyond this many, 503 and the page falls back on GET /action. */
    static final int MAX_STREAMS = 64;

    private static final List<String> ACTIVE =
            List.of(Action.STATUS_PENDING, Action.STATUS_SCHEDULED, Action.STATUS_PREPARING, Action.STATUS_INFLIGHT);

    private final ActionStore actions;
    private final ActionWaiter waiter;
    private final WebConsole.Gate gate;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);

    ActionEvents(ActionStore actions, ActionWaiter waiter, WebConsole.Gate gate) {
        this.actions = actions;
        this.waiter = waiter;
        this.gate = gate;
    }

    void stream(Context ctx) {
        ctx.header("Cache-Control", "no-cache");
        Authenticator.Outcome who = gate.check(Permission.ACTION, ctx);
        if (who instanceof Authenticator.Refused r) {
            refuse(ctx, 401, r.message());
            return;
        }
        if (who instanceof Authenticator.Limited l) {
            ctx.header("Retry-After", Long.toString(l.retryAfterSeconds()));
            refuse(ctx, 429, l.message());
            return;
        }
        Optional<Long> id = actionId(ctx.queryParam("actionid"));
        if (id.isEmpty()) {
            refuse(ctx, 400, "actionid must be a positive whole number");
            return;
        }
        Optional<Action> first = actions.get(id.get());
        if (first.isEmpty()) {
            refuse(ctx, 404, "Action ID '" + id.get() + "' not found");
            return;
        }
        if (!streams.tryAcquire()) {
            ctx.header("Retry-After", "5");
            refuse(ctx, 503, "too many progress streams open; read GET /action instead");
            return;
        }
        try (ActionWaiter.Subscription news = waiter.subscribe(id.get())) {
            ctx.status(200);
            ctx.res().setContentType("text/event-stream; charset=utf-8");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            OutputStream out = ctx.res().getOutputStream();
            follow(out, news, id.get());
        } catch (IOException e) {
            LOG.debug("progress stream of action {} closed by the page: {}", id.get(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the API is stopping: the page reconnects
        } finally {
            streams.release();
        }
    }

    private void follow(OutputStream out, ActionWaiter.Subscription news, long id)
            throws IOException, InterruptedException {
        long until = System.nanoTime() + MAX_STREAM.toNanos();
        Action last = load(id);
        send(out, "action", GoJson.marshal(last));
        while (!finished(last) && System.nanoTime() < until) {
            boolean woken = news.await(RECHECK);
            Action now = load(id);
            if (!now.status().equals(last.status()) || !now.counters().equals(last.counters())) {
                send(out, "action", GoJson.marshal(now));
                last = now;
            } else if (!woken) {
                out.write(": still following\n\n".getBytes(StandardCharsets.UTF_8)); // finds a gone page
                out.flush();
            }
        }
        send(out, "end", finished(last) ? "\"finished\"" : "\"reconnect\"");
    }

    private Action load(long id) {
        return actions.get(id)
                .map(Views::action)
                .orElseThrow(() -> new IllegalStateException("action " + id + " vanished"));
    }

    static boolean finished(Action a) {
        ActionCounters c = a.counters();
        return !ACTIVE.contains(a.status()) || (c.sent() > 0 && c.done() >= c.sent());
    }

    private static void send(OutputStream out, String event, String json) throws IOException {
        out.write(("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void refuse(Context ctx, int status, String message) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result("{\"error\":" + GoJson.marshal(message) + "}");
    }

    static Optional<Long> actionId(String text) {
        if (text == null || !text.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        long v = Long.parseLong(text);
        return v > 0 ? Optional.of(v) : Optional.empty();
    }
}

package mig.api.action;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import mig.api.auth.Caller;
import mig.api.auth.KeyringCache;
import mig.api.collection.CollectionJson;
import mig.api.collection.Item;
import mig.api.http.ApiException;
import mig.api.http.Call;
import mig.api.http.Form;
import mig.api.http.Ids;
import mig.api.http.Reply;
import mig.api.http.Text;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.ActionSignatures;
import mig.common.ActionSignatures.ActionSignatureException;
import mig.common.GenId;
import mig.common.InvalidActionException;
import mig.common.Investigator;
import mig.common.config.GoDuration;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.common.pgp.InvalidSignatureException;
import mig.common.target.TargetQuery;
import mig.common.target.TargetSyntaxException;
import mig.database.ActionStore;
import mig.database.InvestigatorStore;
import mig.database.scheduling.DatabaseFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /action/create/}, {@code GET /action} and our own long poll {@code GET /action/wait}.
 *
 * <p>Creation checks more than the original: every signature must verify against an active
 * investigator (as in the original), the target must be one our scheduler can run, and the
 * submitter must be one of the signers (the original accepted an action signed by someone else).
 */
public final class ActionEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(ActionEndpoints.class);

    /**
     * The start time the original API gives a new action. Its Go source writes {@code time.Date(0011, ...)},
     * and {@code 0011} is an octal literal there: the year is 9, as recorded on the wire.
     */
    public static final Instant START_PLACEHOLDER = Instant.parse("0009-01-11T11:11:11.000000011Z");
    /** The finish time the original API gives a new action. */
    public static final Instant FINISH_PLACEHOLDER = Instant.parse("9998-01-11T11:11:11.000000011Z");

    /** The longest a {@code GET /action/wait} may hold the request. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);
    /** Re-read the action this often while waiting: catches changes nobody notifies (new commands, status). */
    static final Duration RECHECK = Duration.ofSeconds(2);
    /** Long polls held at once; beyond that a wait answers at once, like {@code GET /action}. */
    static final int MAX_WAITERS = 64;

    private static final List<String> ACTIVE =
            List.of(Action.STATUS_PENDING, Action.STATUS_SCHEDULED, Action.STATUS_PREPARING, Action.STATUS_INFLIGHT);
    private static final int MAX_TEXT = 2048;
    private static final int MAX_SIGNATURES_JSON = 4096;

    private final ActionStore actions;
    private final InvestigatorStore investigators;
    private final KeyringCache keyring;
    private final ActionWaiter waiter;
    private final Clock clock;
    private final Duration maxValidity;
    private final Semaphore waiters = new Semaphore(MAX_WAITERS);

    public ActionEndpoints(
            ActionStore actions,
            InvestigatorStore investigators,
            KeyringCache keyring,
            ActionWaiter waiter,
            Clock clock,
            Duration maxValidity) {
        this.actions = actions;
        this.maxValidity = maxValidity;
        this.investigators = investigators;
        this.keyring = keyring;
        this.waiter = waiter;
        this.clock = clock;
    }

    private static final int MAX_ID_ATTEMPTS = 100;

    /** {@code POST /action/create/}: form field {@code action}, the signed action JSON; 202 when stored. */
    public Reply create(Call call) {
        Form form = call.form(Set.of("action"));
        String json = form.require("action", "the signed action, as JSON");
        Action submitted;
        try {
            submitted = GoJson.unmarshal(json, Action.class);
        } catch (GoJsonException e) {
            throw ApiException.badRequest("the action is not valid JSON: " + e.getMessage());
        }
        Action action = submitted
                .withId(GenId.next())
                .withProgress(
                        Action.STATUS_PENDING,
                        START_PLACEHOLDER,
                        FINISH_PLACEHOLDER,
                        START_PLACEHOLDER,
                        ActionCounters.EMPTY,
                        null);
        check(action);
        Map<Long, String> signers = signers(action, call.caller());
        List<ActionStore.Signer> rows = signers.entrySet().stream()
                .map(e -> new ActionStore.Signer(e.getKey(), e.getValue()))
                .toList();
        // Several APIs on one database: two started in the same second make the same GenIDs (as in
        // the original); the primary key refuses the second insert, so take the next ID.
        for (int attempt = 1; ; attempt++) {
            try {
                actions.insert(action, rows);
                break;
            } catch (RuntimeException e) {
                if (attempt >= MAX_ID_ATTEMPTS || !DatabaseFailures.isDuplicateKey(e)) {
                    throw e;
                }
                LOG.info("action ID {} is taken (another API made it); using the next one", action.id());
                action = action.withId(GenId.next());
            }
        }
        LOG.info(
                "action {} '{}' created by {} (target {})",
                action.id(),
                Text.shorten(action.name()),
                call.caller().logLabel(),
                Text.shorten(action.target()));
        String id = Long.toString(action.id());
        return Reply.of(
                202,
                new CollectionJson(call.href())
                        .add(Item.of(call.baseUrl() + "/action?actionid=" + id, "action ID " + id, action)));
    }

    private void check(Action action) {
        try {
            action.validate(clock.instant());
        } catch (InvalidActionException e) {
            throw ApiException.badRequest("invalid action: " + e.getMessage());
        }
        Instant now = clock.instant();
        if (!maxValidity.isZero() && action.expireAfter().isAfter(now.plus(maxValidity))) {
            // counted from now, not from validfrom: a far-future start is as long-lived for a replay
            throw ApiException.badRequest("invalid action: it expires at " + action.expireAfter() + ", more than "
                    + GoDuration.format(maxValidity) + " from now, the longest this API accepts ([server] "
                    + "maxactionvalidity)");
        }
        if (action.name().length() > MAX_TEXT || action.target().length() > MAX_TEXT) {
            throw ApiException.badRequest(
                    "invalid action: name and target are limited to " + MAX_TEXT + " characters each");
        }
        if (GoJson.marshal(action.pgpSignatures()).length() > MAX_SIGNATURES_JSON) {
            throw ApiException.badRequest("invalid action: its signatures take more than " + MAX_SIGNATURES_JSON
                    + " characters, the most the database holds");
        }
        try {
            TargetQuery.agentsSql(action.target());
        } catch (TargetSyntaxException e) {
            throw ApiException.badRequest("invalid action " + e.getMessage());
        }
    }

    /**
     * Verifies every signature and maps each to its investigator (investigator id to signature).
     * Reloads the keyring when a signer is unknown, in case it was registered elsewhere.
     */
    private Map<Long, String> signers(Action action, Caller caller) {
        KeyringCache.Snapshot snap = keyring.get();
        List<String> fingerprints;
        try {
            fingerprints = verify(action, snap);
        } catch (ActionSignatureException e) {
            if (e.reason().orElse(null) != InvalidSignatureException.Reason.UNKNOWN_KEY) {
                throw ApiException.badRequest("action signature verification failed: " + e.getMessage());
            }
            snap = keyring.reloadIfOlderThan(KeyringCache.RELOAD_ON_UNKNOWN_KEY);
            try {
                fingerprints = verify(action, snap);
            } catch (ActionSignatureException again) {
                throw refusal(again);
            }
        }
        Map<Long, String> byInvestigator = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < fingerprints.size(); i++) {
            String fp = fingerprints.get(i);
            InvestigatorStore.ActiveKey who = snap.investigator(fp)
                    .orElseThrow(() -> new ApiException(
                            403, "action signed by key " + fp + ", which belongs to no active investigator"));
            // The keyring may predate a change made elsewhere (the console, another API): ask the database.
            Investigator row = investigators
                    .get(who.id())
                    .orElseThrow(() -> new ApiException(
                            403,
                            "action signed by key " + fp + ", whose investigator (id " + who.id()
                                    + ") no longer exists"));
            if (!Investigator.STATUS_ACTIVE.equals(row.status())) {
                throw new ApiException(
                        403,
                        "signature " + (i + 1) + " of the action was made by investigator '"
                                + row.name() + "' (id " + row.id() + "), whose status is '" + row.status()
                                + "': only active investigators may sign actions");
            }
            if (byInvestigator.putIfAbsent(who.id(), action.pgpSignatures().get(i)) != null) {
                throw ApiException.badRequest(
                        "investigator '" + who.name() + "' (id " + who.id()
                                + ") signed this action more than once; each signature must come from a different investigator");
            }
            names.add("'" + who.name() + "' (id " + who.id() + ")");
        }
        if (!caller.isAuthDisabled() && !byInvestigator.containsKey(caller.id())) {
            throw new ApiException(
                    403,
                    "investigator '" + caller.name() + "' (id " + caller.id()
                            + ") submitted this action but did not sign it (signed by " + String.join(", ", names)
                            + "); sign it with your own key, or let a signer submit it");
        }
        return byInvestigator;
    }

    private static List<String> verify(Action action, KeyringCache.Snapshot snap) throws ActionSignatureException {
        return ActionSignatures.verify(action, snap.keyring());
    }

    /** 403 for a signer who is unknown or not active, naming them when the database knows the key. */
    private ApiException refusal(ActionSignatureException e) {
        if (e.reason().orElse(null) != InvalidSignatureException.Reason.UNKNOWN_KEY
                || !(e.getCause() instanceof InvalidSignatureException ise)
                || ise.keyId().isEmpty()) {
            return ApiException.badRequest("action signature verification failed: " + e.getMessage());
        }
        String keyId = String.format("%016X", ise.keyId().getAsLong());
        String which = "signature " + (e.index() + 1) + " of the action";
        Optional<Investigator> holder = investigators.byKeyId(keyId);
        if (holder.isPresent()) {
            Investigator inv = holder.get();
            return new ApiException(
                    403,
                    which + " was made by investigator '" + inv.name() + "' (id " + inv.id() + "), whose status is '"
                            + inv.status() + "': only active investigators may sign actions");
        }
        return new ApiException(
                403, which + " was made by key id " + keyId + ", which belongs to no investigator of this platform");
    }

    /** {@code GET /action?actionid=}: the action with its signers and counters. */
    public Reply get(Call call) {
        Action a = find(call);
        return Reply.of(200, new CollectionJson(call.href()).add(actionItem(call.baseUrl(), a)));
    }

    /**
     * {@code GET /action/wait?actionid=&timeout=} (MIG for Java's own client): answers like
     * {@code GET /action}, as soon as the action's counters or status differ from when the request came
     * in, or it is finished, or {@code timeout} seconds (0-30, default 30) have passed.
     */
    public Reply waitFor(Call call) throws InterruptedException {
        Duration timeout = timeout(call.query().get("timeout"));
        Action first = find(call);
        Action latest = first;
        if (!isFinished(first) && !timeout.isZero() && waiters.tryAcquire()) {
            try (ActionWaiter.Subscription news = waiter.subscribe(first.id())) {
                Instant deadline = clock.instant().plus(timeout);
                latest = reload(first);
                while (!changed(first, latest)) {
                    Duration left = Duration.between(clock.instant(), deadline);
                    if (left.isNegative() || left.isZero()) {
                        break;
                    }
                    news.await(left.compareTo(RECHECK) < 0 ? left : RECHECK);
                    latest = reload(first);
                }
            } finally {
                waiters.release();
            }
        }
        return Reply.of(200, new CollectionJson(call.href()).add(actionItem(call.baseUrl(), latest)));
    }

    private Action reload(Action previous) {
        return actions.get(previous.id()).map(Views::action).orElse(previous);
    }

    private static Duration timeout(String text) {
        if (text == null) {
            return MAX_WAIT;
        }
        try {
            int s = Integer.parseInt(text);
            if (s >= 0 && s <= MAX_WAIT.toSeconds()) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("timeout must be a whole number of seconds from 0 to " + MAX_WAIT.toSeconds()
                + ", got '" + Text.shorten(text) + "'");
    }

    static boolean isFinished(Action a) {
        ActionCounters c = a.counters();
        return !ACTIVE.contains(a.status()) || (c.sent() > 0 && c.done() >= c.sent());
    }

    private static boolean changed(Action before, Action now) {
        return !before.status().equals(now.status()) || !before.counters().equals(now.counters()) || isFinished(now);
    }

    private Action find(Call call) {
        Ids.Parsed id = Ids.positive("actionid", call.query().get("actionid"), "Action");
        return id.exact().stream()
                .mapToObj(actions::get)
                .flatMap(Optional::stream)
                .findFirst()
                .map(Views::action)
                .orElseThrow(() -> ApiException.notFound("Action ID '" + id.shown() + "' not found"));
    }

    /** An action as an item: href {@code <base>/action?actionid=<id>}, data {@code action}. */
    public static Item actionItem(String baseUrl, Action a) {
        return Item.of(baseUrl + "/action?actionid=" + a.id(), "action", a);
    }
}

package mig.api;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.List;
import mig.api.action.ActionEndpoints;
import mig.api.action.ActionWaiter;
import mig.api.action.CommandEndpoint;
import mig.api.agent.AgentEndpoints;
import mig.api.auth.Authenticator;
import mig.api.auth.Caller;
import mig.api.auth.KeyringCache;
import mig.api.collection.CollectionJson;
import mig.api.dashboard.DashboardEndpoint;
import mig.api.http.Access;
import mig.api.http.ApiException;
import mig.api.http.Call;
import mig.api.http.PathCleaning;
import mig.api.http.Reply;
import mig.api.http.Route;
import mig.api.investigator.InvestigatorEndpoints;
import mig.api.search.SearchEndpoint;
import mig.common.GenId;
import mig.common.pgp.AuthToken;
import mig.database.ActionStore;
import mig.database.AgentStore;
import mig.database.CommandStore;
import mig.database.InvestigatorStore;
import mig.database.MigDatabase;
import mig.database.search.Searches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A running API: the routes of {@link Routes} served by Javalin, each request going through the same
 * steps (operation id, authentication and permission, query check, endpoint, Collection+JSON error
 * on refusal, access log line), and the LISTEN connection behind the long poll.
 *
 * <p>Request lifecycle:
 * <pre>
 *   request -> opid (GenID) -> authenticate (route's Access) -> refuse unknown query parameters
 *           -> endpoint -> Reply | ApiException (4xx/5xx, Collection+JSON error with code = opid)
 *           -> Content-Type: application/json, Cache-Control: no-cache -> access log
 * </pre>
 * Unknown paths and methods get the original router's plain {@code 404 page not found}; paths with
 * {@code //}, {@code /./} or {@code /../} a 301 to the clean path, as the original's ServeMux did.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("mig.api.access");
    private static final String ANSWERED = "mig.answered";

    private final ApiConfig config;
    private final Authenticator authenticator;
    private final ActionWaiter waiter;
    private mig.api.loader.LoaderKeys loaderKeys;
    private List<Route> routes = List.of();
    private Javalin app;

    private ApiServer(ApiConfig config, Authenticator authenticator, ActionWaiter waiter) {
        this.config = config;
        this.authenticator = authenticator;
        this.waiter = waiter;
    }

    /**
     * Starts the API on {@code [server] ip:port} (port 0 picks a free one) over an open, migrated
     * database. The database stays the caller's to close.
     */
    public static ApiServer start(ApiConfig config, MigDatabase db) {
        return start(config, db, Clock.systemUTC());
    }

    static ApiServer start(ApiConfig config, MigDatabase db, Clock clock) {
        InvestigatorStore investigators = new InvestigatorStore(db.dataSource());
        ActionStore actions = new ActionStore(db.dataSource());
        AgentStore agents = new AgentStore(db.dataSource());
        KeyringCache keyring = new KeyringCache(investigators, clock);
        Authenticator auth =
                new Authenticator(config.authEnabled(), config.tokenDuration(), keyring, investigators, clock);
        Searches searches = new Searches(db.dataSource(), clock);
        ActionWaiter waiter = new ActionWaiter(db.config());
        ApiServer server = new ApiServer(config, auth, waiter);
        mig.database.loader.LoaderStore loaderStore = new mig.database.loader.LoaderStore(db.dataSource());
        mig.database.loader.ManifestStore manifestStore = new mig.database.loader.ManifestStore(db.dataSource());
        server.loaderKeys = new mig.api.loader.LoaderKeys(loaderStore);
        mig.api.ui.WebConsole console = new mig.api.ui.WebConsole(
                config.baseRoute(),
                actions,
                waiter,
                (needed, ctx) -> auth.authenticate(
                        needed,
                        ctx.header(AuthToken.HEADER),
                        ctx.header("X-MIGAPIKEY"),
                        config.clientPublicIp().resolve(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"))));
        List<Route> routes = Routes.table(
                new ActionEndpoints(actions, investigators, keyring, waiter, clock, config.maxActionValidity()),
                new CommandEndpoint(new CommandStore(db.dataSource())),
                new AgentEndpoints(agents, clock, config.heartbeats()),
                new InvestigatorEndpoints(investigators, keyring, clock),
                new SearchEndpoint(searches, agents, clock),
                new DashboardEndpoint(searches, actions),
                new mig.api.loader.LoaderEndpoints(loaderStore, manifestStore),
                new mig.api.manifest.ManifestEndpoints(
                        manifestStore, loaderStore, keyring, config.requiredSignatures()),
                new mig.api.cancel.CancelEndpoint(
                        new mig.database.scheduling.CommandCompletion(db.dataSource()), clock));
        server.routes = routes;
        try {
            server.app = Javalin.create(cfg -> {
                        cfg.startup.showJavalinBanner = false;
                        cfg.startup.showOldJavalinVersionWarning = false;
                        cfg.router.ignoreTrailingSlashes = false;
                        cfg.http.prefer405over404 = false;
                        // The original never compresses; MIG bodies are small and clients gain nothing.
                        cfg.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
                        cfg.jetty.multipartConfig.maxFileSize(Call.MAX_MULTIPART_BODY, SizeUnit.BYTES);
                        cfg.jetty.multipartConfig.maxTotalRequestSize(Call.MAX_MULTIPART_BODY, SizeUnit.BYTES);
                        cfg.jetty.multipartConfig.maxInMemoryFileSize(20480, SizeUnit.BYTES);
                        cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
                        // the original's ServeMux: 301 to the clean path before any route (PathCleaning)
                        cfg.routes.before(PathCleaning::redirectUnclean);
                        for (Route r : routes) {
                            cfg.routes.addHttpHandler(
                                    HandlerType.findOrCreate(r.method()),
                                    config.baseRoute() + r.path(),
                                    ctx -> server.serve(r, ctx));
                        }
                        console.install(cfg); // the web console under /ui/ (mig.api.ui)
                        cfg.routes.error(404, ApiServer::notFound);
                        cfg.routes.exception(Exception.class, (e, ctx) -> {
                            LOG.error("unhandled error answering {} {}", ctx.method(), ctx.path(), e);
                            ctx.status(500);
                        });
                    })
                    .start(config.ip(), config.port());
        } catch (RuntimeException e) {
            waiter.close();
            throw new IllegalStateException(
                    "cannot start the API on " + config.ip() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        LOG.info(
                "MIG API listening on {}:{}{} (authentication {}, token window {})",
                config.ip(),
                server.app.port(),
                config.baseRoute(),
                config.authEnabled() ? "on" : "OFF",
                mig.common.config.GoDuration.format(config.tokenDuration()));
        return server;
    }

    /** The port the API listens on. */
    public int port() {
        return app.port();
    }

    /** Where to reach it from this host: {@code http://<ip>:<port><baseroute>}. */
    public String localUrl() {
        return "http://" + (config.ip().contains(":") ? "[" + config.ip() + "]" : config.ip()) + ":" + port()
                + config.baseRoute();
    }

    /** The routes served, as in {@link Routes}. */
    List<Route> routes() {
        return routes;
    }

    /** Whether the long poll's LISTEN connection is up. */
    public boolean isListening() {
        return waiter.isListening();
    }

    @Override
    public void close() {
        try {
            if (app != null) {
                app.stop();
            }
        } finally {
            waiter.close();
        }
    }

    private void serve(Route route, Context ctx) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        Call call = new Call(ctx, config, GenId.next());
        MDC.put("opid", Long.toString(call.opId()));
        try {
            Reply reply = answer(route, call, ctx);
            ctx.status(reply.status());
            ctx.header("Content-Type", "application/json");
            if (reply.noCache()) {
                ctx.header("Cache-Control", "no-cache");
            }
            ctx.result(reply.body());
            String line = String.format(
                    "src=%s category=%s auth=%s %s %s %s resp_code=%d resp_size=%d user-agent=%s",
                    call.clientIp(),
                    call.caller().category().logName(),
                    call.caller().logLabel(),
                    ctx.method(),
                    ctx.protocol(),
                    call.requestUri(),
                    reply.status(),
                    reply.body().length,
                    ctx.userAgent());
            if (route.access() instanceof Access.Public && route.method().equals("POST")) {
                ACCESS.debug(line); // agent heartbeats: one per agent every few minutes
            } else {
                ACCESS.info(line);
            }
        } finally {
            MDC.remove("opid");
        }
    }

    private Reply answer(Route route, Call call, Context ctx) {
        try {
            Access access = route.access();
            if (access instanceof Access.Investigator inv) {
                Authenticator.Outcome outcome = authenticator.authenticate(
                        inv.permission(), ctx.header(AuthToken.HEADER), ctx.header("X-MIGAPIKEY"), call.clientIp());
                if (outcome instanceof Authenticator.Limited limited) {
                    call.caller(limited.logged());
                    ctx.header("Retry-After", Long.toString(limited.retryAfterSeconds()));
                    throw new ApiException(429, limited.message());
                }
                if (outcome instanceof Authenticator.Refused refused) {
                    call.caller(refused.logged());
                    throw new ApiException(401, refused.message());
                }
                call.caller(((Authenticator.Allowed) outcome).caller());
            } else if (access instanceof Access.Loader) {
                call.caller(new Caller(Caller.Category.LOADER, "noauth", 0, java.util.Set.of(), ""));
                if (ctx.header("X-LOADERKEY") == null
                        || ctx.header("X-LOADERKEY").isEmpty()) {
                    throw new ApiException(401, "X-LOADERKEY header not found");
                }
                java.util.Optional<Caller> loader = loaderKeys.authenticate(ctx.header("X-LOADERKEY"));
                if (loader.isEmpty()) {
                    call.caller(new Caller(Caller.Category.LOADER, "authfailed", 0, java.util.Set.of(), ""));
                    throw new ApiException(401, "Loader authorization failed");
                }
                call.caller(loader.get());
            }
            call.checkQuery(route.queryParameters());
            return route.endpoint().handle(call);
        } catch (ApiException e) {
            if (e.status() >= 500) {
                LOG.warn("{} {} answered {}: {}", route.method(), route.path(), e.status(), e.getMessage());
            } else {
                LOG.debug("{} {} refused with {}: {}", route.method(), route.path(), e.status(), e.getMessage());
            }
            return error(call, e.status(), e.getMessage(), e.items());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(call, 503, "the API is shutting down", List.of());
        } catch (Exception e) {
            LOG.error("{} {} failed (opid {})", route.method(), call.requestUri(), call.opId(), e);
            return error(call, 500, e.getMessage() == null ? e.toString() : e.getMessage(), List.of());
        }
    }

    private static Reply error(Call call, int status, String message, List<mig.api.collection.Item> items) {
        return Reply.of(
                status, new CollectionJson(call.href()).addAll(items).error(Long.toString(call.opId()), message));
    }

    /** What the original's router answers when no route matches: plain text, not Collection+JSON. */
    private static void notFound(Context ctx) {
        if (ctx.attribute(ANSWERED) != null) {
            return; // one of our routes answered 404 itself
        }
        ctx.status(404);
        ctx.header("Content-Type", "text/plain; charset=utf-8");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.result("404 page not found\n");
    }
}

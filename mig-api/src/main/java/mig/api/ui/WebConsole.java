package mig.api.ui;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import mig.api.action.ActionWaiter;
import mig.api.auth.Authenticator;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.database.ActionStore;

/**
 * The web console: static pages under {@code /ui/} on the API's own port, and the one thing the
 * API's routes cannot do for it, a stream of an action's progress ({@code /ui/events/action}).
 *
 * <p>The pages sign tokens and actions in the browser (OpenPGP.js, vendored in the jar, see
 * docs/web-console.md); the server never sees a secret key and the console has no route that a
 * {@code mig} client lacks: every call it makes is one of the API's authenticated routes, and the
 * event stream asks for the same permission as {@code GET /action}.
 *
 * <p>Every page is served with a Content-Security-Policy that allows scripts and connections to this
 * origin only, so a page cannot be made to send a loaded key elsewhere.
 */
public final class WebConsole {
    /** Where the pages are, on the class path and under the API's port. */
    static final String RESOURCES = "/mig/api/ui/static";

    public static final String PATH = "/ui";

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** Authenticates a request for a permission, as the API's routes do. */
    @FunctionalInterface
    public interface Gate {
        Authenticator.Outcome check(Permission needed, Context ctx);
    }

    private final String baseRoute;
    private final ActionEvents events;

    public WebConsole(String baseRoute, ActionStore actions, ActionWaiter waiter, Gate gate) {
        this.baseRoute = baseRoute;
        this.events = new ActionEvents(actions, waiter, gate);
    }

    /** Adds the console's pages and event stream to a Javalin being configured. */
    public void install(JavalinConfig cfg) {
        cfg.staticFiles.add(sf -> {
            sf.hostedPath = PATH;
            sf.directory = RESOURCES;
            sf.location = Location.CLASSPATH;
            sf.headers = Map.of(
                    "Content-Security-Policy", CSP,
                    "X-Content-Type-Options", "nosniff",
                    "Referrer-Policy", "no-referrer",
                    "Cache-Control", "no-cache");
        });
        cfg.routes.get(PATH, ctx -> ctx.redirect(PATH + "/"));
        cfg.routes.get(PATH + "/config.json", this::config);
        cfg.routes.get(PATH + "/events/action", events::stream);
    }

    /** Where the pages find the API: its base route on this origin. */
    private void config(Context ctx) {
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("application/json");
        ctx.result(("{\"baseroute\":" + GoJson.marshal(baseRoute) + "}").getBytes(StandardCharsets.UTF_8));
    }
}

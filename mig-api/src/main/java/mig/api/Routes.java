package mig.api;

import static mig.api.http.Access.investigator;
import static mig.api.http.Access.loader;
import static mig.api.http.Access.open;

import java.util.List;
import mig.api.action.ActionEndpoints;
import mig.api.action.CommandEndpoint;
import mig.api.agent.AgentEndpoints;
import mig.api.cancel.CancelEndpoint;
import mig.api.dashboard.DashboardEndpoint;
import mig.api.http.Route;
import mig.api.investigator.InvestigatorEndpoints;
import mig.api.loader.LoaderEndpoints;
import mig.api.manifest.ManifestEndpoints;
import mig.api.open.PublicEndpoints;
import mig.api.search.SearchEndpoint;
import mig.common.Permission;
import mig.database.search.SearchRequest;

/**
 * The API's one route table, as the original's {@code api.go}: each route with the permission it
 * needs and the query parameters it takes. Paths are below {@code [server] baseroute}.
 */
final class Routes {
    private Routes() {}

    static List<Route> table(
            ActionEndpoints actions,
            CommandEndpoint commands,
            AgentEndpoints agents,
            InvestigatorEndpoints investigators,
            SearchEndpoint search,
            DashboardEndpoint dashboard,
            LoaderEndpoints loaders,
            ManifestEndpoints manifests,
            CancelEndpoint cancel) {
        return List.of(
                // Agents report themselves here (the final agents' replacement of the AMQP heartbeat).
                Route.post("/heartbeat", open(), agents::heartbeat),

                // Unauthenticated.
                Route.get("/heartbeat", open(), List.of(), PublicEndpoints::heartbeat),
                Route.get("/ip", open(), List.of(), PublicEndpoints::ip),
                Route.get("/publickey/{pgp_fingerprint}", open(), List.of(), investigators::publicKey),

                // Loaders, authenticated by X-LOADERKEY.
                Route.post("/manifest/agent/", loader(), loaders::agentManifest),
                Route.post("/manifest/fetch/", loader(), loaders::fetch),

                // Investigators.
                Route.get("/search", investigator(Permission.SEARCH), SearchRequest.PARAMETERS, search::search),
                Route.get("/action", investigator(Permission.ACTION), List.of("actionid"), actions::get),
                // MIG for Java's own client: long poll instead of polling GET /action every 2 seconds.
                Route.get(
                        "/action/wait",
                        investigator(Permission.ACTION),
                        List.of("actionid", "timeout"),
                        actions::waitFor),
                Route.post("/action/create/", investigator(Permission.ACTION_CREATE), actions::create),
                // MIG for Java's own: cancel an action's pending commands (signers only, signed token).
                Route.post("/action/cancel/", investigator(Permission.ACTION_CREATE), cancel::cancel),
                Route.get("/command", investigator(Permission.COMMAND), List.of("commandid"), commands::get),
                Route.get("/agent", investigator(Permission.AGENT), List.of("agentid"), agents::get),
                Route.get("/dashboard", investigator(Permission.DASHBOARD), List.of(), dashboard::get),

                // Administrators.
                Route.get("/loader", investigator(Permission.LOADER), List.of("loaderid"), loaders::get),
                Route.post("/loader/status/", investigator(Permission.LOADER_STATUS), loaders::status),
                Route.post("/loader/expect/", investigator(Permission.LOADER_EXPECT), loaders::expect),
                Route.post("/loader/key/", investigator(Permission.LOADER_KEY), loaders::key),
                Route.post("/loader/new/", investigator(Permission.LOADER_NEW), loaders::create),
                Route.get("/manifest", investigator(Permission.MANIFEST), List.of("manifestid"), manifests::get),
                Route.post("/manifest/sign/", investigator(Permission.MANIFEST_SIGN), manifests::sign),
                Route.post("/manifest/status/", investigator(Permission.MANIFEST_STATUS), manifests::status),
                Route.post("/manifest/new/", investigator(Permission.MANIFEST_NEW), manifests::create),
                Route.get(
                        "/manifest/loaders/",
                        investigator(Permission.MANIFEST_LOADERS),
                        List.of("manifestid"),
                        manifests::loaders),
                Route.get(
                        "/investigator",
                        investigator(Permission.INVESTIGATOR),
                        List.of("investigatorid"),
                        investigators::get),
                Route.post(
                        "/investigator/create/", investigator(Permission.INVESTIGATOR_CREATE), investigators::create),
                Route.post(
                        "/investigator/update/", investigator(Permission.INVESTIGATOR_UPDATE), investigators::update));
    }
}

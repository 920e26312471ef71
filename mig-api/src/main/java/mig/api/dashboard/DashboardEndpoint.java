package mig.api.dashboard;

import java.util.List;
import mig.api.action.ActionEndpoints;
import mig.api.action.Views;
import mig.api.collection.CollectionJson;
import mig.api.collection.Data;
import mig.api.collection.Item;
import mig.api.http.Call;
import mig.api.http.Reply;
import mig.common.AgentsStats;
import mig.database.ActionStore;
import mig.database.search.Searches;

/**
 * {@code GET /dashboard}: the latest agent statistics (when the scheduler has written some), then the
 * last 10 actions by start time with their signers and counters.
 */
public final class DashboardEndpoint {
    private static final int LAST_ACTIONS = 10;

    private final Searches searches;
    private final ActionStore actions;

    public DashboardEndpoint(Searches searches, ActionStore actions) {
        this.searches = searches;
        this.actions = actions;
    }

    public Reply get(Call call) {
        CollectionJson doc = new CollectionJson(call.href());
        searches.latestAgentsStats().ifPresent(s -> doc.add(statsItem(call.baseUrl(), s)));
        actions.latest(LAST_ACTIONS).forEach(a -> doc.add(ActionEndpoints.actionItem(call.baseUrl(), Views.action(a))));
        return Reply.of(200, doc);
    }

    private static Item statsItem(String baseUrl, AgentsStats s) {
        return new Item(
                baseUrl + "/dashboard",
                List.of(
                        new Data("online agents", s.onlineAgents()),
                        new Data("online agents by version", s.onlineAgentsByVersion()),
                        new Data("online endpoints", s.onlineEndpoints()),
                        new Data("idle agents", s.idleAgents()),
                        new Data("idle agents by version", s.idleAgentsByVersion()),
                        new Data("idle endpoints", s.idleEndpoints()),
                        new Data("new endpoints", s.newEndpoints()),
                        new Data("endpoints running 2 or more agents", s.multiAgentsEndpoints()),
                        new Data("disappeared endpoints", s.disappearedEndpoints()),
                        new Data("flapping endpoints", s.flappingEndpoints())),
                List.of());
    }
}

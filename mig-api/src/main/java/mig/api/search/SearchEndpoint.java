package mig.api.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import mig.api.action.ActionEndpoints;
import mig.api.action.Views;
import mig.api.agent.AgentEndpoints;
import mig.api.collection.CollectionJson;
import mig.api.collection.Item;
import mig.api.http.ApiException;
import mig.api.http.Call;
import mig.api.http.Reply;
import mig.common.Agent;
import mig.common.target.TargetSyntaxException;
import mig.database.AgentStore;
import mig.database.search.SearchParameterException;
import mig.database.search.SearchParameters;
import mig.database.search.SearchRequest;
import mig.database.search.Searches;

/**
 * {@code GET /search}: one item per result named after the type, then a {@code pagination} item when
 * {@code offset > 0}, then the {@code search parameters} item. No result is a 404 "no results found"
 * (with the search parameters), which MIG's clients use to stop paging.
 *
 * <p>{@code type=agent&target=...} evaluates the target with the safe target compiler (as the
 * scheduler does); a target it refuses is a 400 with the compiler's message.
 */
public final class SearchEndpoint {

    /** The {@code pagination} item's value. */
    public record Pagination(
            @JsonProperty("limit") long limit,
            @JsonProperty("offset") long offset,
            @JsonProperty("next") String next) {}

    private final Searches searches;
    private final AgentStore agents;
    private final Clock clock;

    public SearchEndpoint(Searches searches, AgentStore agents, Clock clock) {
        this.searches = searches;
        this.agents = agents;
        this.clock = clock;
    }

    public Reply search(Call call) {
        SearchRequest req;
        try {
            req = SearchRequest.parse(call.query(), clock.instant());
        } catch (SearchParameterException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        SearchParameters p = req.parameters();
        String base = call.baseUrl();
        List<Item> items = switch (p.type()) {
            case "action" ->
                searches.actions(p).stream()
                        .map(a -> ActionEndpoints.actionItem(base, Views.action(a)))
                        .toList();
            case "agent" ->
                agents(p).stream().map(a -> AgentEndpoints.agentItem(base, a)).toList();
            case "command" ->
                searches.commands(p, req.filterFoundAnything()).stream()
                        .map(c -> Item.of(base + "/command?commandid=" + c.id(), "command", c))
                        .toList();
            case "investigator" ->
                searches.investigators(p).stream()
                        .map(i -> Item.of(base + "/investigator?investigatorid=" + i.id(), "investigator", i))
                        .toList();
            case "manifest" ->
                searches.manifests(p).stream()
                        .map(m -> Item.of(base + "/manifest?manifestid=" + m.id(), "manifest", m))
                        .toList();
            // The original gives loaders no href of their own.
            case "loader" ->
                searches.loaders(p).stream()
                        .map(l -> Item.of(base, "loader", l))
                        .toList();
            default -> throw new IllegalStateException("search type " + p.type() + " passed parsing");
        };
        Item parameters = Item.of(call.href(), "search parameters", p);
        if (items.isEmpty()) {
            throw new ApiException(404, "no results found").withItems(List.of(parameters));
        }
        List<Item> all = new ArrayList<>(items);
        if (p.offset() > 0) {
            all.add(Item.of(
                    call.href(),
                    "pagination",
                    new Pagination(
                            p.limit(),
                            p.offset(),
                            base + "/search?" + p.nextPage().toQueryString())));
        }
        all.add(parameters);
        return Reply.of(200, new CollectionJson(call.href()).addAll(all));
    }

    private List<Agent> agents(SearchParameters p) {
        if (p.target().isEmpty()) {
            return searches.agents(p);
        }
        int upTo = (int) Math.min(Integer.MAX_VALUE, p.offset() + p.limit());
        List<Agent> found;
        try {
            found = upTo == 0 ? List.of() : agents.targeted(p.target(), upTo);
        } catch (TargetSyntaxException e) {
            throw ApiException.badRequest("invalid " + e.getMessage());
        }
        return found.size() <= p.offset() ? List.of() : found.subList((int) p.offset(), found.size());
    }
}

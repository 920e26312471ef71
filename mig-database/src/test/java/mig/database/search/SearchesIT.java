package mig.database.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Description;
import mig.common.GenId;
import mig.common.Operation;
import mig.common.Permission;
import mig.common.Threat;
import mig.common.json.GoJson;
import mig.database.ActionStore;
import mig.database.DbConfig;
import mig.database.InvestigatorStore;
import mig.database.MigDatabase;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The two searches the original could not run, on a real PostgreSQL. */
@ExtendWith(MigServices.class)
class SearchesIT {

    @Test
    void aSearchWithoutFiltersAndAnActionStatusSearchBothRun(TestDatabase tdb) {
        try (MigDatabase db = MigDatabase.open(
                        DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 2), "searches-it")
                .migrate()) {
            Instant now = Instant.now();
            long inv = new InvestigatorStore(db.dataSource())
                    .create("alice", null, null, Permission.toMask(Permission.DEFAULT), now);
            ActionStore actions = new ActionStore(db.dataSource());
            Action done = action("done", "completed", now.minusSeconds(60));
            Action waiting = action("waiting", "pending", now.minusSeconds(30));
            actions.insert(done, List.of(new ActionStore.Signer(inv, "sig")));
            actions.insert(waiting, List.of(new ActionStore.Signer(inv, "sig")));
            Searches searches = new Searches(db.dataSource(), Clock.systemUTC());

            SearchParameters all = SearchRequest.parse(Map.of(), now).parameters();
            assertEquals(
                    List.of(waiting.id(), done.id()),
                    searches.actions(all).stream().map(Action::id).toList());
            SearchParameters completed =
                    SearchRequest.parse(Map.of("status", "completed"), now).parameters();
            assertEquals(
                    List.of(done.id()),
                    searches.actions(completed).stream().map(Action::id).toList());
            assertEquals(
                    List.of(),
                    searches.agents(
                            SearchRequest.parse(Map.of("type", "agent"), now).parameters()));
            assertEquals(
                    1,
                    searches.investigators(SearchRequest.parse(Map.of("type", "investigator"), now)
                                    .parameters())
                            .size());
        }
    }

    private static Action action(String name, String status, Instant validFrom) {
        return new Action(
                GenId.next(),
                name,
                "status='online'",
                Description.EMPTY,
                Threat.EMPTY,
                validFrom,
                validFrom.plusSeconds(600),
                List.of(Operation.of("file", GoJson.tree("{}"))),
                List.of("sig"),
                null,
                status,
                validFrom,
                validFrom,
                validFrom,
                ActionCounters.EMPTY,
                2);
    }
}

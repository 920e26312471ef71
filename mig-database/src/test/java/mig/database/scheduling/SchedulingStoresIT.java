package mig.database.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Agent;
import mig.common.AgentEnv;
import mig.common.AgentsStats;
import mig.common.Command;
import mig.common.GenId;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.json.GoJson;
import mig.common.json.GoTime;
import mig.database.ActionStore;
import mig.database.AgentStore;
import mig.database.CommandStore;
import mig.database.DbConfig;
import mig.database.MigDatabase;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scheduler's queries and locks, on a real PostgreSQL. */
@ExtendWith(MigServices.class)
class SchedulingStoresIT {

    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @Test
    void concurrentClaimsTakeEachDueActionOnceAndLeaveFutureOnesPending(TestDatabase tdb) throws Exception {
        try (MigDatabase db = open(tdb)) {
            ActionStore actions = new ActionStore(db.dataSource());
            Set<Long> due = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                due.add(insert(actions, "status='online'", NOW.minusSeconds(10), NOW.plusSeconds(300))
                        .id());
            }
            long expired = insert(actions, "status='online'", NOW.minusSeconds(600), NOW.minusSeconds(1))
                    .id();
            due.add(expired);
            Action future = insert(actions, "status='online'", NOW.plusSeconds(60), NOW.plusSeconds(600));

            ActionQueue queue = new ActionQueue(db.dataSource());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<List<Long>>> claims = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                claims.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (List<Long> got = queue.claimRunnable(NOW, 7);
                            !got.isEmpty();
                            got = queue.claimRunnable(NOW, 7)) {
                        mine.addAll(got);
                    }
                    return mine;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : claims) {
                all.addAll(f.get());
            }
            pool.shutdown();
            // A claim can come back empty while another claim holds the last rows' locks without
            // taking them (SKIP LOCKED seen through PostgreSQL's recheck of concurrently updated rows):
            // each thread above then stops, as a scheduler's round does, and the next round takes what
            // is left. That round, here, may find nothing or the few left: never one already claimed.
            for (List<Long> got = queue.claimRunnable(NOW, 7); !got.isEmpty(); got = queue.claimRunnable(NOW, 7)) {
                all.addAll(got);
            }

            assertEquals(new HashSet<>(all).size(), all.size(), "no action claimed twice: " + all);
            assertEquals(due, new HashSet<>(all));
            assertEquals(
                    Action.STATUS_SCHEDULED, actions.get(expired).orElseThrow().status());
            assertEquals(
                    Action.STATUS_PENDING,
                    actions.get(future.id()).orElseThrow().status());
            assertEquals(Optional.of(future.validFrom()), queue.nextValidFrom(NOW));
            assertTrue(queue.notifiesNewActions());
        }
    }

    @Test
    void oneSchedulerPreparesAnActionAndOnlyAnAbandonedPublicationIsResumed(TestDatabase tdb) {
        try (MigDatabase db = open(tdb)) {
            ActionStore actions = new ActionStore(db.dataSource());
            Agent agent = agent(db, "linux.a");
            Action a = insert(actions, "status='online'", NOW.minusSeconds(1), NOW.plusSeconds(300));
            ActionQueue queue = new ActionQueue(db.dataSource());
            queue.claimRunnable(NOW, 10);

            Command cmd;
            try (ActionClaim claim = queue.lockScheduled(a.id()).orElseThrow()) {
                assertEquals(Optional.empty(), queue.lockScheduled(a.id()), "held by the first claimant");
                cmd = new Command(
                        GenId.next(),
                        claim.action(),
                        agent,
                        Command.STATUS_SENT,
                        List.of(ModuleResult.EMPTY),
                        NOW,
                        GoTime.ZERO);
                try (Dispatch publishing = claim.prepare(List.of(cmd), NOW)) {
                    assertEquals(Optional.empty(), queue.lockScheduled(a.id()), "preparing, not scheduled");
                    assertEquals(Optional.empty(), queue.resumePreparing(a.id()), "being published");
                    Action preparing = actions.get(a.id()).orElseThrow();
                    assertEquals(Action.STATUS_PREPARING, preparing.status());
                    assertEquals(NOW, preparing.startTime());
                    assertEquals(new ActionCounters(1, 0, 1, 0, 0, 0, 0, 0), preparing.counters());
                }
            }
            // The publisher let go without marking it inflight: the next one takes over.
            ActionQueue.Resumption r = queue.resumePreparing(a.id()).orElseThrow();
            try (Dispatch d = r.dispatch()) {
                assertEquals(1, r.total());
                assertEquals(
                        List.of(cmd.id()),
                        r.unanswered().stream().map(ActionQueue.SentCommand::id).toList());
                assertEquals(
                        GoJson.marshal(agent),
                        GoJson.marshal(r.unanswered().get(0).agent()));
                assertEquals(NOW, r.unanswered().get(0).startTime());
                assertTrue(d.markInflight(NOW.plusSeconds(1)));
                assertFalse(d.markInflight(NOW.plusSeconds(1)), "once");
            }
            assertEquals(Optional.empty(), queue.resumePreparing(a.id()));
            assertEquals(List.of(new ActionQueue.Deadline(a.id(), a.expireAfter())), queue.openDeadlines());
            assertEquals(List.of(), queue.overdue(NOW));
            assertEquals(List.of(a.id()), queue.overdue(a.expireAfter()));
        }
    }

    @Test
    void invalidatingSetsTheStartLastUpdateAndFinishTimes(TestDatabase tdb) {
        try (MigDatabase db = open(tdb)) {
            ActionStore actions = new ActionStore(db.dataSource());
            Action a = insert(actions, "name='nobody'", NOW.minusSeconds(1), NOW.plusSeconds(300));
            ActionQueue queue = new ActionQueue(db.dataSource());
            queue.claimRunnable(NOW, 10);
            queue.lockScheduled(a.id()).orElseThrow().invalidate(NOW);
            Action back = actions.get(a.id()).orElseThrow();
            assertEquals(Action.STATUS_INVALID, back.status());
            assertEquals(List.of(NOW, NOW, NOW), List.of(back.startTime(), back.lastUpdateTime(), back.finishTime()));
        }
    }

    @Test
    void aResultIsStoredOnceAndOnlyFromTheEndpointTheCommandWentTo(TestDatabase tdb) {
        try (MigDatabase db = open(tdb)) {
            ActionStore actions = new ActionStore(db.dataSource());
            Agent agent = agent(db, "linux.a");
            Agent other = agent(db, "linux.b");
            Action a = insert(actions, "status='online'", NOW.minusSeconds(1), NOW.plusSeconds(300));
            List<Command> cmds = dispatch(db, a, List.of(agent, other));
            CommandCompletion completion = new CommandCompletion(db.dataSource());
            Instant t = NOW.plusSeconds(5);
            ModuleResult found =
                    new ModuleResult(true, true, JsonNodeFactory.instance.textNode("a\u0000b"), null, null);
            Command answer = cmds.get(0).withOutcome(Command.STATUS_SUCCESS, List.of(found), t);

            assertEquals(
                    new CommandCompletion.Finish.Unknown(),
                    completion.finish(new Command(1, null, agent, Command.STATUS_SUCCESS, null, null, null), t));
            Command impostor = new Command(
                    cmds.get(0).id(), cmds.get(0).action(), other, Command.STATUS_SUCCESS, List.of(), null, null);
            assertEquals(
                    new CommandCompletion.Finish.WrongAgent(a.id(), agent.queueLoc(), 7),
                    completion.finish(impostor, t));
            // Someone on the relay forges the result under the right endpoint's queueloc but guesses its pid
            // wrong (the original checked both): dropped as well, and the command stays sent.
            Command forged = new Command(
                    cmds.get(0).id(),
                    cmds.get(0).action(),
                    withPid(agent, 4242),
                    Command.STATUS_SUCCESS,
                    List.of(),
                    null,
                    null);
            assertEquals(
                    new CommandCompletion.Finish.WrongAgent(a.id(), agent.queueLoc(), 7), completion.finish(forged, t));
            assertEquals(new ActionCounters(2, 0, 2, 0, 0, 0, 0, 0), actions.counters(a.id()));
            assertEquals(new CommandCompletion.Finish.Recorded(a.id(), false), completion.finish(answer, t));
            assertEquals(new ActionCounters(2, 1, 1, 1, 0, 0, 0, 0), actions.counters(a.id()));
            assertEquals(
                    new CommandCompletion.Finish.AlreadyFinal(a.id(), Command.STATUS_SUCCESS),
                    completion.finish(answer.withOutcome(Command.STATUS_FAILED, List.of(), t), t.plusSeconds(1)));

            Command stored =
                    new CommandStore(db.dataSource()).get(cmds.get(0).id()).orElseThrow();
            assertEquals(Command.STATUS_SUCCESS, stored.status());
            assertEquals(t, stored.finishTime());
            assertEquals("aNULLb", stored.results().get(0).elements().asText());
            assertEquals(t, actions.get(a.id()).orElseThrow().lastUpdateTime());

            CommandCompletion.Finish last =
                    completion.finish(cmds.get(1).withOutcome(Command.STATUS_FAILED, List.of(), t), t);
            assertEquals(new CommandCompletion.Finish.Recorded(a.id(), true), last);
            assertEquals(new ActionCounters(2, 2, 0, 1, 0, 0, 1, 0), actions.counters(a.id()));
            Action done = actions.get(a.id()).orElseThrow();
            assertEquals(Action.STATUS_COMPLETED, done.status());
            assertEquals(t, done.finishTime());
        }
    }

    @Test
    void aBatchOfResultsIsStoredInOneGoCountsDuplicatesOnceAndCompletesEachActionOnce(TestDatabase tdb) {
        try (MigDatabase db = open(tdb)) {
            ActionStore actions = new ActionStore(db.dataSource());
            List<Agent> agents = List.of(agent(db, "linux.a"), agent(db, "linux.b"), agent(db, "linux.c"));
            Action one = insert(actions, "status='online'", NOW.minusSeconds(1), NOW.plusSeconds(300));
            Action two = insert(actions, "status='online'", NOW.minusSeconds(1), NOW.plusSeconds(300));
            List<Command> first = dispatch(db, one, agents);
            List<Command> second = dispatch(db, two, agents);
            CommandCompletion completion = new CommandCompletion(db.dataSource());
            Instant t = NOW.plusSeconds(5);

            // Action one: all three answers, the second one twice; action two: one answer of three,
            // an impostor, and an unknown command.
            Command a0 = first.get(0).withOutcome(Command.STATUS_SUCCESS, List.of(), t);
            Command a1 = first.get(1).withOutcome(Command.STATUS_FAILED, List.of(), t);
            Command a2 = first.get(2).withOutcome(Command.STATUS_SUCCESS, List.of(), t);
            Command b0 = second.get(0).withOutcome(Command.STATUS_SUCCESS, List.of(), t);
            Command impostor = new Command(
                    second.get(1).id(),
                    second.get(1).action(),
                    agents.get(2),
                    Command.STATUS_SUCCESS,
                    List.of(),
                    null,
                    null);
            Command unknown = new Command(1, null, agents.get(0), Command.STATUS_SUCCESS, null, null, null);
            CommandCompletion.Batch b = completion.finishAll(
                    List.of(a0, a1, b0, a1.withOutcome(Command.STATUS_SUCCESS, List.of(), t), impostor, unknown, a2),
                    t);

            assertEquals(
                    List.of(
                            new CommandCompletion.Finish.Recorded(one.id(), false),
                            new CommandCompletion.Finish.Recorded(one.id(), false),
                            new CommandCompletion.Finish.Recorded(two.id(), false),
                            new CommandCompletion.Finish.AlreadyFinal(one.id(), Command.STATUS_FAILED),
                            new CommandCompletion.Finish.WrongAgent(
                                    two.id(), agents.get(1).queueLoc(), 7),
                            new CommandCompletion.Finish.Unknown(),
                            new CommandCompletion.Finish.Recorded(one.id(), true)),
                    b.finishes());
            ActionCounters done = new ActionCounters(3, 3, 0, 2, 0, 0, 1, 0);
            assertEquals(Map.of(one.id(), done), b.completed());
            assertEquals(done, actions.counters(one.id()));
            assertEquals(
                    Action.STATUS_COMPLETED, actions.get(one.id()).orElseThrow().status());
            assertEquals(t, actions.get(one.id()).orElseThrow().finishTime());
            assertEquals(new ActionCounters(3, 1, 2, 1, 0, 0, 0, 0), actions.counters(two.id()));
            assertEquals(
                    Action.STATUS_INFLIGHT, actions.get(two.id()).orElseThrow().status());
            assertEquals(t, actions.get(two.id()).orElseThrow().lastUpdateTime());

            // The same batch again (a redelivery): nothing changes, nothing completes again.
            CommandCompletion.Batch again = completion.finishAll(List.of(a0, a1, a2, b0), t.plusSeconds(1));
            assertEquals(Map.of(), again.completed());
            assertTrue(again.finishes().stream().allMatch(f -> f instanceof CommandCompletion.Finish.AlreadyFinal));
            assertEquals(done, actions.counters(one.id()));
            assertEquals(t, actions.get(one.id()).orElseThrow().finishTime());

            // The rest of action two: it completes.
            CommandCompletion.Batch last = completion.finishAll(
                    List.of(
                            second.get(1).withOutcome(Command.STATUS_SUCCESS, List.of(), t),
                            second.get(2).withOutcome(Command.STATUS_TIMEOUT, List.of(), t)),
                    t);
            assertEquals(Map.of(two.id(), new ActionCounters(3, 3, 0, 2, 0, 0, 0, 1)), last.completed());
            assertEquals(
                    Action.STATUS_COMPLETED, actions.get(two.id()).orElseThrow().status());
        }
    }

    @Test
    void concurrentBatchesOfOneActionCompleteItExactlyOnce(TestDatabase tdb) throws Exception {
        try (MigDatabase db = open(tdb)) {
            ActionStore actions = new ActionStore(db.dataSource());
            List<Agent> agents = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                agents.add(agent(db, "linux.c" + i));
            }
            Action a = insert(actions, "status='online'", NOW.minusSeconds(1), NOW.plusSeconds(300));
            List<Command> cmds = dispatch(db, a, agents);
            CommandCompletion completion = new CommandCompletion(db.dataSource());
            // Four "schedulers" each store every result, in batches of 5 in their own order: each
            // result reaches all of them, as redeliveries would.
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> completions = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                List<Command> mine = new ArrayList<>(cmds.stream()
                        .map(c -> c.withOutcome(Command.STATUS_SUCCESS, List.of(), NOW))
                        .toList());
                Collections.rotate(mine, t * 10);
                completions.add(pool.submit(() -> {
                    int completed = 0;
                    for (int from = 0; from < mine.size(); from += 5) {
                        completed += completion
                                .finishAll(mine.subList(from, from + 5), NOW)
                                .completed()
                                .size();
                    }
                    return completed;
                }));
            }
            int completed = 0;
            for (Future<Integer> f : completions) {
                completed += f.get();
            }
            pool.shutdown();
            assertEquals(1, completed, "the action completed once");
            assertEquals(new ActionCounters(40, 40, 0, 40, 0, 0, 0, 0), actions.counters(a.id()));
            assertEquals(
                    Action.STATUS_COMPLETED, actions.get(a.id()).orElseThrow().status());
        }
    }

    @Test
    void expiryCompletesAnActionOnceItsTimeIsUpAndNotBefore(TestDatabase tdb) {
        try (MigDatabase db = open(tdb)) {
            ActionStore actions = new ActionStore(db.dataSource());
            Action a = insert(actions, "status='online'", NOW.minusSeconds(1), NOW.plusSeconds(300));
            List<Command> cmds = dispatch(db, a, List.of(agent(db, "linux.a"), agent(db, "linux.b")));
            CommandCompletion completion = new CommandCompletion(db.dataSource());
            completion.finish(cmds.get(0).withOutcome(Command.STATUS_SUCCESS, List.of(), NOW), NOW);

            assertEquals(
                    new CommandCompletion.Expiry(0, new ActionCounters(2, 1, 1, 1, 0, 0, 0, 0), false),
                    completion.expire(a.id(), a.expireAfter().minusMillis(1)));
            assertEquals(
                    new CommandCompletion.Expiry(1, new ActionCounters(2, 2, 0, 1, 0, 1, 0, 0), true),
                    completion.expire(a.id(), a.expireAfter()));
            Action done = actions.get(a.id()).orElseThrow();
            assertEquals(Action.STATUS_COMPLETED, done.status());
            assertEquals(a.expireAfter(), done.finishTime());
            assertFalse(
                    completion.expire(a.id(), a.expireAfter().plusSeconds(1)).completed(), "only once");
        }
    }

    @Test
    void agentsGoIdleThenOfflineAndStatisticsCountThem(TestDatabase tdb) {
        try (MigDatabase db = open(tdb)) {
            Agent old = agent(db, "linux.old");
            agent(db, "linux.new");
            AgentUpkeep upkeep = new AgentUpkeep(db.dataSource());
            assertEquals(0, upkeep.markOffline(NOW.plusSeconds(1)), "only idle agents go offline");
            assertEquals(2, upkeep.markIdle(NOW.plusSeconds(1)));
            new AgentStore(db.dataSource()).heartbeat(heartbeat("linux.new"), NOW.plusSeconds(2));
            assertEquals(1, upkeep.markOffline(NOW.plusSeconds(1)));
            assertEquals(
                    "offline",
                    new AgentStore(db.dataSource()).get(old.id()).orElseThrow().status());

            AgentsStats s = upkeep.compute(NOW.plusSeconds(3));
            assertEquals(
                    new AgentsStats(
                            NOW.plusSeconds(3),
                            1,
                            List.of(new AgentsStats.VersionCount("1.0", 1)),
                            1,
                            0,
                            List.of(),
                            0,
                            2,
                            0,
                            1,
                            0),
                    s);
            upkeep.store(s);
            assertEquals(List.of(), upkeep.multiAgentQueues(NOW.minus(Duration.ofMinutes(5))));
        }
    }

    private static List<Command> dispatch(MigDatabase db, Action a, List<Agent> agents) {
        ActionQueue queue = new ActionQueue(db.dataSource());
        queue.claimRunnable(NOW, 10);
        try (ActionClaim claim = queue.lockScheduled(a.id()).orElseThrow()) {
            List<Command> cmds = agents.stream()
                    .map(agent -> new Command(
                            GenId.next(),
                            claim.action(),
                            agent,
                            Command.STATUS_SENT,
                            Collections.nCopies(1, ModuleResult.EMPTY),
                            NOW,
                            GoTime.ZERO))
                    .toList();
            try (Dispatch d = claim.prepare(cmds, NOW)) {
                d.markInflight(NOW);
            }
            return cmds;
        }
    }

    /** The same agent record under another pid. */
    private static Agent withPid(Agent agent, int pid) {
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                mig.common.json.GoJson.tree(mig.common.json.GoJson.marshal(agent));
        json.put("pid", pid);
        return mig.common.json.GoJson.unmarshal(json.toString(), Agent.class);
    }

    private static Agent agent(MigDatabase db, String queueLoc) {
        AgentStore store = new AgentStore(db.dataSource());
        return store.get(store.heartbeat(heartbeat(queueLoc), NOW)).orElseThrow();
    }

    private static Agent heartbeat(String queueLoc) {
        return new Agent(
                0,
                "host-" + queueLoc,
                queueLoc,
                "daemon",
                "1.0",
                7,
                "",
                NOW,
                null,
                NOW,
                NOW,
                "",
                false,
                AgentEnv.EMPTY,
                Map.of());
    }

    private static Action insert(ActionStore actions, String target, Instant validFrom, Instant expireAfter) {
        Action a = Action.draft(
                        "test",
                        target,
                        validFrom,
                        expireAfter,
                        List.of(Operation.of("file", JsonNodeFactory.instance.objectNode())))
                .withId(GenId.next())
                .withProgress(
                        Action.STATUS_PENDING,
                        GoTime.ACTION_START_PLACEHOLDER,
                        GoTime.ACTION_FINISH_PLACEHOLDER,
                        GoTime.ACTION_START_PLACEHOLDER,
                        null,
                        null);
        actions.insert(a, List.of());
        return a;
    }

    private static MigDatabase open(TestDatabase tdb) {
        return MigDatabase.open(DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 8), "test")
                .migrate();
    }
}

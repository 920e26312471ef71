package mig.api.action;

import java.util.List;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Agent;
import mig.common.Investigator;
import mig.common.json.GoTime;

/**
 * The fields each original route fills in, where they differ from the whole stored object. The
 * original's queries select different columns per route, and its clients see the difference; these
 * keep our answers byte-compatible with the recorded ones ({@code [quirk]}s kept on purpose).
 */
public final class Views {
    private Views() {}

    /** An action as {@code GET /action}, the dashboard and searches show it: signers without API-key marker. */
    public static Action action(Action a) {
        List<Investigator> invs = a.investigators();
        if (invs == null) {
            return a;
        }
        List<Investigator> shown = invs.stream().map(Views::signer).toList();
        return a.withProgress(a.status(), a.startTime(), a.finishTime(), a.lastUpdateTime(), a.counters(), shown);
    }

    /** A signer as embedded in an action: no keys, no API-key marker (the original's InvestigatorByActionID). */
    public static Investigator signer(Investigator i) {
        return new Investigator(
                i.id(),
                i.name(),
                i.pgpFingerprint(),
                null,
                null,
                i.status(),
                i.createdAt(),
                i.lastModified(),
                "",
                i.permissions());
    }

    /**
     * The action inside {@code GET /command}: the original's CommandByID reads the signed fields only,
     * so status, progress times, counters and signers are empty.
     */
    public static Action commandAction(Action a) {
        return a.withProgress("", GoTime.ZERO, GoTime.ZERO, GoTime.ZERO, ActionCounters.EMPTY, null);
    }

    /**
     * An agent as {@code GET /agent} shows it: the original's AgentByID does not read the destruction
     * time or the loader name, so they are empty.
     */
    public static Agent agentById(Agent a) {
        return new Agent(
                a.id(),
                a.name(),
                a.queueLoc(),
                a.mode(),
                a.version(),
                a.pid(),
                "",
                a.startTime(),
                GoTime.ZERO,
                a.heartbeatTs(),
                a.refreshTs(),
                a.status(),
                false,
                a.environment(),
                a.tags());
    }
}

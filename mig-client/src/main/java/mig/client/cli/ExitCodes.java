package mig.client.cli;

import mig.client.api.ApiException;

/**
 * What the client tools exit with, so scripts can tell a failed investigation setup from a refused
 * key or a dead API. The original exits 1 for every error; these codes are beyond it, and 0 still
 * means "it ran and every agent answered", whatever the agents found. The same codes are used by
 * mig, mig-console, mig-action-generator, mig-action-verifier and mig-agent-search.
 */
public final class ExitCodes {
    /** The command ran (an investigation completed or was followed until Ctrl-C). */
    public static final int OK = 0;
    /** The API refused the request for another reason (bad target, invalid action, server error). */
    public static final int FAILED = 1;
    /** The command line cannot be run: unknown module or flag, bad value. */
    public static final int USAGE = 2;
    /** The migrc or the signing key is missing or unusable. */
    public static final int CONFIG = 3;
    /** The API did not answer (down, wrong URL, network). */
    public static final int API_DOWN = 4;
    /** The API refused our authentication (key not registered, disabled, clock skew). */
    public static final int AUTH = 5;
    /**
     * The investigation ran, but at least one agent's command did not succeed (failed, timed out,
     * expired or cancelled): its results are missing, and the reason was printed.
     */
    public static final int COMMANDS_FAILED = 6;

    private ExitCodes() {}

    /** The code for an API failure. */
    public static int of(ApiException e) {
        if (e.status() == 0) {
            return API_DOWN;
        }
        return e.status() == 401 || e.status() == 403 ? AUTH : FAILED;
    }
}

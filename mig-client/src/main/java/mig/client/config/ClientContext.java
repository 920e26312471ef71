package mig.client.config;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import mig.client.api.MigApiClient;
import mig.client.signing.ApiTokens;
import mig.client.signing.Signer;
import mig.client.signing.Signers;
import mig.common.Action;

/**
 * What every client tool needs once its migrc is read: the signing key and an API client, both made
 * on first use (so {@code mig file -p} or {@code mig help} never touch a key, and a passphrase is
 * asked for at most once per run).
 */
public final class ClientContext {
    private final MigRc rc;
    private final String tool;
    private final PrintStream debug;
    private final Clock clock;
    private final Optional<String> passphrase;
    private Signer signer;
    private MigApiClient api;

    /**
     * @param tool  {@code cmd}, {@code console}, {@code generator}, {@code agent-search}: the User-Agent's
     * @param debug where {@code -v} prints requests, or null
     */
    public ClientContext(MigRc rc, String tool, PrintStream debug, Clock clock) {
        this(rc, tool, debug, clock, Optional.empty());
    }

    /** @param passphrase unlocks the signing key (else {@code MIGPGPPASSPHRASE}, else the terminal) */
    public ClientContext(MigRc rc, String tool, PrintStream debug, Clock clock, Optional<String> passphrase) {
        this.rc = rc;
        this.tool = tool;
        this.debug = debug;
        this.clock = clock;
        this.passphrase = passphrase;
    }

    public MigRc rc() {
        return rc;
    }

    public Clock clock() {
        return clock;
    }

    /** The investigator's signer, loaded on first use. */
    public synchronized Signer signer() {
        if (signer == null) {
            signer = Signers.fromMigrc(rc, passphrase);
        }
        return signer;
    }

    /** The API client: API key when {@code [gpg] useapikeyauth} is set, signed tokens otherwise. */
    public synchronized MigApiClient api() {
        if (api == null) {
            MigApiClient.Auth auth = rc.apiKey().isPresent()
                    ? new MigApiClient.Auth.ApiKey(rc.apiKey().get())
                    : new MigApiClient.Auth.Token(() -> ApiTokens.make(signer(), clock));
            api = new MigApiClient(rc.requireApiUrl(), auth, tool, debug, rc.skipVerifyCert());
        }
        return api;
    }

    /** The action with one more signature, by this investigator, over its canonical string. */
    public Action sign(Action a) {
        return a.withSignature(signer().sign(a.canonicalString().getBytes(StandardCharsets.UTF_8)));
    }
}

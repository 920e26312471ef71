package mig.modules;

import com.fasterxml.jackson.databind.JsonNode;
import mig.common.ModuleResult;

/**
 * A module: what an operation of an action runs on an endpoint ({@code file}, {@code netstat},
 * {@code memory} ...). Implementations are found with {@link java.util.ServiceLoader} (see
 * {@link Modules}); adding one touches no other file than its own package and its line in
 * {@code META-INF/services/mig.modules.Module}.
 *
 * <p>Optional abilities are separate one-method interfaces, as in the original:
 * {@link HasParamsParser} (client command-line flags), {@link HasResultsPrinter} (human lines),
 * {@link HasEnhancedPrivacy} (extra privacy masking).
 */
public interface Module {

    /** The case-sensitive name used in actions, e.g. {@code file}. */
    String name();

    /**
     * Runs the module on this endpoint.
     *
     * <p>Never throws for bad parameters or failures on the endpoint: those go in the result's
     * {@code errors} with {@code success=false} (invalid parameters) or alongside partial findings.
     * Must stop promptly once {@link RunContext#pastDeadline()} and return what it found with an
     * error saying the deadline was reached; must also stop when the thread is interrupted.
     *
     * @param parameters the operation's parameters, already decompressed
     */
    ModuleResult run(JsonNode parameters, RunContext context);
}

package mig.agent.env;

import java.util.Objects;
import mig.common.AgentEnv;

/**
 * What the agent knows about its endpoint at one moment: the host name and MIG's environment
 * record (OS, arch, ident, init, addresses, public IP, modules). A change between two refreshes
 * bumps the agent's refresh time, as in the original.
 *
 * @param hostname the FQDN when one can be found, else the kernel host name
 */
public record HostFacts(String hostname, AgentEnv env) {

    public HostFacts {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(env, "env");
    }
}

package mig.agent.env;

import java.util.List;
import java.util.Optional;
import mig.agent.config.AgentConfig;
import mig.common.AgentEnv;
import mig.common.AgentEnvAws;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers {@link HostFacts} for this endpoint as the original's {@code NewAgentContext} does:
 * local facts from {@link EnvironmentProbe}, then the public IP from the API when
 * {@code discoverpublicip} is on. AWS metadata is not gathered yet (reported empty).
 */
public final class LocalEnvironment {

    private static final Logger LOG = LoggerFactory.getLogger(LocalEnvironment.class);

    private final AgentConfig config;
    private final ApiHttp http;
    private final List<String> modules;

    /** @param modules module names reported in the environment (sorted) */
    public LocalEnvironment(AgentConfig config, ApiHttp http, List<String> modules) {
        this.config = config;
        this.http = http;
        this.modules = List.copyOf(modules);
    }

    /** Looks at the endpoint now. Never throws: what cannot be found is reported empty and logged. */
    public HostFacts detect() {
        String goos = EnvironmentProbe.goos();
        List<String> addresses = EnvironmentProbe.addresses();
        String publicIp = "";
        if (config.discoverPublicIp()) {
            Optional<String> found = PublicIp.discover(http, config.apiUrl("ip"));
            publicIp = found.orElseGet(() -> {
                String fb = PublicIp.fallback(addresses);
                LOG.warn("failed to retrieve public ip from api {}; reporting {} instead", config.apiUrl("ip"), fb);
                return fb;
            });
        }
        AgentEnv env = new AgentEnv(
                EnvironmentProbe.init(goos),
                EnvironmentProbe.ident(),
                goos,
                EnvironmentProbe.goarch(System.getProperty("os.arch", "")),
                false,
                "",
                addresses.isEmpty() ? null : addresses,
                publicIp,
                AgentEnvAws.EMPTY,
                modules);
        return new HostFacts(EnvironmentProbe.hostname(), env);
    }
}

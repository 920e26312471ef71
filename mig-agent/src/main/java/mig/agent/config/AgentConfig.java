package mig.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import mig.common.config.ConfigException;
import mig.common.config.GoDuration;
import mig.common.logging.LoggingConfig;

/**
 * Everything the agent is told by its operator: the original's built-in configuration overridden by
 * {@code mig-agent.cfg} (spec §10.2), plus where trust and state live on disk.
 *
 * <p>Immutable and checked once, in the constructor; every message names the setting, the bad
 * value and the rule. Build one with {@link #builder()} (built-in defaults) or read a file with
 * {@link AgentConfigFile}.
 *
 * <p>Files and folders: {@code confDir} holds {@code acl.cfg} and {@code agentkeys/} (the original
 * reads them from {@code /etc/mig}; here the folder of the {@code -c} file, or {@code -confdir});
 * {@code runDir} holds {@code .migagtid} and {@code mig-agent.ok} (default {@code /var/lib/mig},
 * or {@code -rundir}).
 *
 * @param relay            AMQP URI of the relay, with credentials ({@code amqp://} or {@code amqps://})
 * @param api              base URL of the MIG API, e.g. {@code http://localhost:1664/api/v1/}
 * @param socket           {@code host:port} of the local stat socket, empty for none
 * @param heartbeatFreq    interval between heartbeats; also sets the result TTL (10×) and the AMQP
 *                         heartbeat (2×)
 * @param moduleTimeout    longest a module may run
 * @param refreshEnv       interval between environment refreshes, zero for never
 * @param proxies          {@code host:port} HTTP proxies (recorded; not used by this first cut)
 * @param tags             operator tags sent in heartbeats, by name
 * @param statsMaxActions  actions remembered for the stat socket, 0 to 30
 * @param source           the file this came from, if any
 * @param heartbeatSecret  ours: {@code [agent] heartbeatsecret}, the secret heartbeats are signed
 *                         with ({@link mig.common.heartbeat.HeartbeatAuth}); empty (the default)
 *                         sends them unsigned, as the original. Meant to be compiled in with the
 *                         build's {@code mig-agent.cfg} ({@link mig.agent.build.AgentBuild}).
 */
public record AgentConfig(
        String relay,
        String api,
        String socket,
        Duration heartbeatFreq,
        Duration moduleTimeout,
        boolean isImmortal,
        boolean installService,
        boolean discoverPublicIp,
        boolean discoverAwsMeta,
        boolean checkin,
        Duration refreshEnv,
        boolean extraPrivacyMode,
        boolean noPersistMods,
        boolean onlyVerifyPubKey,
        List<String> proxies,
        Map<String, String> tags,
        int statsMaxActions,
        Certs certs,
        LoggingConfig logging,
        Path confDir,
        Path runDir,
        Optional<Path> source,
        String heartbeatSecret) {

    /** The original's configuration folder on Linux. */
    public static final Path DEFAULT_CONF_DIR = Path.of("/etc/mig");
    /** The original's run folder on Linux. */
    public static final Path DEFAULT_RUN_DIR = Path.of("/var/lib/mig");
    /** The original's configuration file on Linux. */
    public static final Path DEFAULT_CONFIG_FILE = DEFAULT_CONF_DIR.resolve("mig-agent.cfg");

    /** TLS material for an {@code amqps://} relay: PEM file paths, read when connecting. */
    public record Certs(String ca, String cert, String key) {
        public static final Certs NONE = new Certs("", "", "");

        public Certs {
            ca = Objects.requireNonNullElse(ca, "");
            cert = Objects.requireNonNullElse(cert, "");
            key = Objects.requireNonNullElse(key, "");
        }
    }

    public AgentConfig {
        relay = checkRelay(relay);
        api = checkApi(api);
        socket = checkSocket(Objects.requireNonNullElse(socket, ""));
        positive("heartbeatfreq", heartbeatFreq);
        positive("moduletimeout", moduleTimeout);
        Objects.requireNonNull(refreshEnv, "refreshenv");
        if (refreshEnv.isNegative()) {
            throw new ConfigException("[agent] refreshenv = '" + GoDuration.format(refreshEnv)
                    + "' must not be negative (0 disables refreshes)");
        }
        proxies = List.copyOf(proxies == null ? List.of() : proxies);
        heartbeatSecret = Objects.requireNonNullElse(heartbeatSecret, "");
        tags = java.util.Collections.unmodifiableMap(new TreeMap<>(tags == null ? Map.of() : tags));
        if (statsMaxActions < 0 || statsMaxActions > 30) {
            throw new ConfigException("[stats] maxactions = '" + statsMaxActions + "' must be from 0 to 30");
        }
        certs = Objects.requireNonNullElse(certs, Certs.NONE);
        logging = Objects.requireNonNullElse(logging, LoggingConfig.DEFAULT);
        confDir = Objects.requireNonNullElse(confDir, DEFAULT_CONF_DIR);
        runDir = Objects.requireNonNullElse(runDir, DEFAULT_RUN_DIR);
        source = Objects.requireNonNullElse(source, Optional.empty());
    }

    /** A builder holding the original's built-in configuration (spec §10.2). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.relay = relay;
        b.api = api;
        b.socket = socket;
        b.heartbeatFreq = heartbeatFreq;
        b.moduleTimeout = moduleTimeout;
        b.isImmortal = isImmortal;
        b.installService = installService;
        b.discoverPublicIp = discoverPublicIp;
        b.discoverAwsMeta = discoverAwsMeta;
        b.checkin = checkin;
        b.refreshEnv = refreshEnv;
        b.extraPrivacyMode = extraPrivacyMode;
        b.noPersistMods = noPersistMods;
        b.onlyVerifyPubKey = onlyVerifyPubKey;
        b.proxies = new ArrayList<>(proxies);
        b.tags = new LinkedHashMap<>(tags);
        b.statsMaxActions = statsMaxActions;
        b.certs = certs;
        b.logging = logging;
        b.confDir = confDir;
        b.runDir = runDir;
        b.source = source.orElse(null);
        return b;
    }

    /** Where the ACL is read from: {@code <confDir>/acl.cfg}. */
    public Path aclFile() {
        return confDir.resolve("acl.cfg");
    }

    /** Where investigators' public keys are read from: {@code <confDir>/agentkeys/}. */
    public Path keysDir() {
        return confDir.resolve("agentkeys");
    }

    /** {@code <api>/<leaf>} with exactly one slash between them. */
    public String apiUrl(String leaf) {
        String base = api;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/" + leaf;
    }

    /** The relay URI(s) with each password replaced by {@code ****}, for logs and {@code -S}. */
    public String relayForDisplay() {
        return String.join(",", relays().stream().map(AgentConfig::maskedRelay).toList());
    }

    /**
     * The relay URIs: {@code relay} may list several, comma-separated, all naming nodes of one
     * RabbitMQ cluster (same scheme, credentials and vhost); the agent connects to one of them and
     * fails over to the others. A single URI, the original's form, is a list of one.
     */
    public java.util.List<String> relays() {
        return splitRelays(relay);
    }

    private static java.util.List<String> splitRelays(String relay) {
        java.util.List<String> parts =
                java.util.Arrays.stream(relay.split(",", -1)).map(String::strip).toList();
        // A comma may be part of a single URI (a password, a query): split only when every piece
        // is a URI of its own.
        boolean list =
                parts.size() > 1 && parts.stream().allMatch(p -> p.startsWith("amqp://") || p.startsWith("amqps://"));
        return list ? parts : java.util.List.of(relay);
    }

    private static String maskedRelay(String relay) {
        try {
            URI u = new URI(relay);
            String info = u.getRawUserInfo();
            if (info == null || !info.contains(":")) {
                return relay;
            }
            String user = info.substring(0, info.indexOf(':'));
            return new URI(
                            u.getScheme(),
                            user + ":****",
                            u.getHost(),
                            u.getPort(),
                            u.getPath(),
                            u.getQuery(),
                            u.getFragment())
                    .toString();
        } catch (URISyntaxException e) {
            return "(unparseable relay URI)";
        }
    }

    /**
     * The proxies for {@code -S} and the status page, a password in them masked as the relay's is:
     * {@code user:secret@proxy:3128} or {@code http://user:secret@proxy:3128} shows
     * {@code user:****@...} (the original printed them as configured).
     */
    public List<String> proxiesForDisplay() {
        return proxies.stream().map(AgentConfig::maskProxy).toList();
    }

    static String maskProxy(String proxy) {
        int at = proxy.lastIndexOf('@');
        if (at < 0) {
            return proxy;
        }
        int scheme = proxy.indexOf("://");
        int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
        int colon = proxy.indexOf(':', start);
        if (colon < 0 || colon > at) {
            return proxy;
        }
        return proxy.substring(0, colon) + ":****" + proxy.substring(at);
    }

    static String checkRelay(String relay) {
        if (relay == null || relay.isBlank()) {
            throw new ConfigException("[agent] relay is empty: give the relay's AMQP URI, e.g. "
                    + "amqp://agent:secret@relay.example.net:5672/mig");
        }
        java.util.List<String> all = splitRelays(relay);
        URI first = null;
        for (String one : all) {
            URI u = parseUri("relay", one);
            if (!"amqp".equals(u.getScheme()) && !"amqps".equals(u.getScheme())) {
                throw new ConfigException("[agent] relay = '" + masked(one) + "' must start with amqp:// or amqps://");
            }
            if (u.getHost() == null) {
                throw new ConfigException("[agent] relay = '" + masked(one) + "' has no host");
            }
            // One connection factory serves every node: they must agree on all but host and port.
            if (first != null
                    && (!first.getScheme().equals(u.getScheme())
                            || !java.util.Objects.equals(first.getRawUserInfo(), u.getRawUserInfo())
                            || !vhostOf(first).equals(vhostOf(u)))) {
                throw new ConfigException("[agent] relay: the URIs of a relay list must differ only in host and "
                        + "port (same scheme, user, password and vhost); '" + masked(one) + "' differs from '"
                        + masked(all.get(0)) + "'");
            }
            first = first == null ? u : first;
        }
        return relay;
    }

    private static String vhostOf(URI u) {
        String path = u.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** {@code host:port} (IPv6 in brackets), port 0 to 65535, or empty for no stat socket. */
    static String checkSocket(String socket) {
        if (socket.isEmpty()) {
            return socket;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "^(\\[[0-9a-fA-F:.]+\\]|[^:\\s\\[\\]]+):(\\d{1,5})$")
                .matcher(socket);
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            throw new ConfigException("[agent] socket = '" + socket + "' must be host:port (e.g. 127.0.0.1:51664), "
                    + "or \"\" for no stat socket");
        }
        return socket;
    }

    static String checkApi(String api) {
        if (api == null || api.isBlank()) {
            throw new ConfigException(
                    "[agent] api is empty: give the MIG API's base URL, e.g. " + "http://localhost:1664/api/v1/");
        }
        URI u = parseUri("api", api);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new ConfigException("[agent] api = '" + api + "' must start with http:// or https://");
        }
        if (u.getHost() == null) {
            throw new ConfigException("[agent] api = '" + api + "' has no host");
        }
        return api;
    }

    private static URI parseUri(String key, String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException("[agent] " + key + " = '" + masked(value) + "' is not a URI: " + e.getReason());
        }
    }

    private static String masked(String uri) {
        return uri.replaceAll("(//[^:/@]*:)[^@]*@", "$1****@");
    }

    private static void positive(String key, Duration d) {
        Objects.requireNonNull(d, key);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException("[agent] " + key + " = '" + GoDuration.format(d) + "' must be positive");
        }
    }

    /**
     * Collects settings; {@link #build()} checks them all. Starts from the original's built-in
     * values: relay {@code amqp://guest:guest@localhost:5672/}, api
     * {@code http://localhost:1664/api/v1/}, socket {@code 127.0.0.1:51664}, heartbeat and module
     * timeout 300s, refreshenv 5m, immortal, installservice, discoverpublicip and discoverawsmeta on,
     * stats maxactions 15.
     */
    public static final class Builder {
        private String relay = "amqp://guest:guest@localhost:5672/";
        private String api = "http://localhost:1664/api/v1/";
        private String socket = "127.0.0.1:51664";
        private Duration heartbeatFreq = Duration.ofSeconds(300);
        private Duration moduleTimeout = Duration.ofSeconds(300);
        private boolean isImmortal = true;
        private boolean installService = true;
        private boolean discoverPublicIp = true;
        private boolean discoverAwsMeta = true;
        private boolean checkin;
        private Duration refreshEnv = Duration.ofMinutes(5);
        private boolean extraPrivacyMode;
        private boolean noPersistMods;
        private boolean onlyVerifyPubKey;
        private List<String> proxies = new ArrayList<>();
        private Map<String, String> tags = new LinkedHashMap<>();
        private int statsMaxActions = 15;
        private Certs certs = Certs.NONE;
        private LoggingConfig logging = LoggingConfig.DEFAULT;
        private Path confDir = DEFAULT_CONF_DIR;
        private Path runDir = DEFAULT_RUN_DIR;
        private Path source;
        private String heartbeatSecret = "";

        private Builder() {}

        public Builder heartbeatSecret(String v) {
            heartbeatSecret = v;
            return this;
        }

        public Builder relay(String v) {
            relay = v;
            return this;
        }

        public Builder api(String v) {
            api = v;
            return this;
        }

        public Builder socket(String v) {
            socket = v;
            return this;
        }

        public Builder heartbeatFreq(Duration v) {
            heartbeatFreq = v;
            return this;
        }

        public Builder moduleTimeout(Duration v) {
            moduleTimeout = v;
            return this;
        }

        public Builder isImmortal(boolean v) {
            isImmortal = v;
            return this;
        }

        public Builder installService(boolean v) {
            installService = v;
            return this;
        }

        public Builder discoverPublicIp(boolean v) {
            discoverPublicIp = v;
            return this;
        }

        public Builder discoverAwsMeta(boolean v) {
            discoverAwsMeta = v;
            return this;
        }

        public Builder checkin(boolean v) {
            checkin = v;
            return this;
        }

        public Builder refreshEnv(Duration v) {
            refreshEnv = v;
            return this;
        }

        public Builder extraPrivacyMode(boolean v) {
            extraPrivacyMode = v;
            return this;
        }

        public Builder noPersistMods(boolean v) {
            noPersistMods = v;
            return this;
        }

        public Builder onlyVerifyPubKey(boolean v) {
            onlyVerifyPubKey = v;
            return this;
        }

        public Builder proxies(List<String> v) {
            proxies = new ArrayList<>(v);
            return this;
        }

        /** Adds or replaces one tag (the file's {@code tags = "name:value"} lines merge the same way). */
        public Builder tag(String name, String value) {
            tags.put(name, value);
            return this;
        }

        public Builder statsMaxActions(int v) {
            statsMaxActions = v;
            return this;
        }

        public Builder certs(Certs v) {
            certs = v;
            return this;
        }

        public Builder logging(LoggingConfig v) {
            logging = v;
            return this;
        }

        public Builder confDir(Path v) {
            confDir = v;
            return this;
        }

        public Builder runDir(Path v) {
            runDir = v;
            return this;
        }

        public Builder source(Path v) {
            source = v;
            return this;
        }

        /** The checked configuration. @throws ConfigException naming the first bad setting */
        public AgentConfig build() {
            return new AgentConfig(
                    relay,
                    api,
                    socket,
                    heartbeatFreq,
                    moduleTimeout,
                    isImmortal,
                    installService,
                    discoverPublicIp,
                    discoverAwsMeta,
                    checkin,
                    refreshEnv,
                    extraPrivacyMode,
                    noPersistMods,
                    onlyVerifyPubKey,
                    proxies,
                    tags,
                    statsMaxActions,
                    certs,
                    logging,
                    confDir,
                    runDir,
                    Optional.ofNullable(source),
                    heartbeatSecret);
        }
    }
}

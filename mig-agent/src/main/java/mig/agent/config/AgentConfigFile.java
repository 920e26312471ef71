package mig.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;
import mig.common.logging.LoggingConfig;

/**
 * Reads the original's {@code mig-agent.cfg} (spec §10.2) over the built-in configuration.
 *
 * <p>The original's rules are kept where they decide what a file means: {@code heartbeatfreq} and
 * {@code moduletimeout} are required; every boolean takes the file's value, absent meaning
 * {@code off}; an empty or absent {@code refreshenv} keeps the built-in 5m; {@code tags} lines
 * ({@code "name:value"}, repeatable) add to the built-in tags; {@code proxies} is a comma list.
 *
 * <p>Two rules are deliberately not kept. The original fell back to the built-in configuration
 * when the file did not parse (an agent with a typo ran with defaults and nobody's keys); here a bad
 * file is an error that names the file, line and rule. And the original read the {@code [certs]}
 * files while parsing, so the sample file's placeholder paths made it ignore the whole file; here
 * they are paths, read only when an {@code amqps://} relay needs them. Absent {@code relay},
 * {@code api} and {@code socket} keep the built-in values (the original took them as empty).
 */
public final class AgentConfigFile {

    /** Every section and variable the original's {@code gcfg} struct accepts. */
    static final Map<String, Set<String>> KNOWN = Map.of(
            "agent",
                    Set.of(
                            "relay",
                            "api",
                            "socket",
                            "heartbeatfreq",
                            "moduletimeout",
                            "isimmortal",
                            "installservice",
                            "discoverpublicip",
                            "discoverawsmeta",
                            "checkin",
                            "refreshenv",
                            "extraprivacymode",
                            "nopersistmods",
                            "onlyverifypubkey",
                            "proxies",
                            "tags",
                            "heartbeatsecret"),
            "stats", Set.of("maxactions"),
            "certs", Set.of("ca", "cert", "key"),
            "logging", LoggingConfig.KEYS);

    private final IniConfig ini;
    private final String[] lines;
    private final String source;

    private AgentConfigFile(IniConfig ini, String text, String source) {
        this.ini = ini;
        this.lines = text.split("\r?\n", -1);
        this.source = source;
    }

    /**
     * Reads {@code file} over the built-in configuration; {@code confDir} defaults to the file's
     * folder, {@code runDir} to {@link AgentConfig#DEFAULT_RUN_DIR}.
     *
     * @throws ConfigException naming the file, line and rule
     */
    public static AgentConfig read(Path file) {
        return read(file, AgentConfig.builder());
    }

    /**
     * Reads {@code file} over {@code builtIn} (a packaged agent's compiled-in settings); as
     * {@link #read(Path)} otherwise.
     *
     * @throws ConfigException naming the file, line and rule
     */
    public static AgentConfig read(Path file, AgentConfig.Builder builtIn) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        Path parent = file.toAbsolutePath().getParent();
        return parse(
                text,
                file.toString(),
                builtIn.source(file).confDir(parent != null ? parent : AgentConfig.DEFAULT_CONF_DIR));
    }

    /** Parses file text over {@code base}; {@code source} names it in messages. */
    public static AgentConfig parse(String text, String source, AgentConfig.Builder base) {
        IniConfig ini = IniConfig.parse(text, source).requireKnown(KNOWN);
        return new AgentConfigFile(ini, text, source).apply(base);
    }

    private AgentConfig apply(AgentConfig.Builder b) {
        ini.get("agent", "relay").ifPresent(v -> b.relay(at("agent", "relay", () -> AgentConfig.checkRelay(v))));
        ini.get("agent", "api").ifPresent(v -> b.api(at("agent", "api", () -> AgentConfig.checkApi(v))));
        ini.get("agent", "socket").ifPresent(v -> b.socket(at("agent", "socket", () -> AgentConfig.checkSocket(v))));
        b.heartbeatFreq(requiredPositive("heartbeatfreq"));
        b.moduleTimeout(requiredPositive("moduletimeout"));
        b.isImmortal(bool("isimmortal"));
        b.installService(bool("installservice"));
        b.discoverPublicIp(bool("discoverpublicip"));
        b.discoverAwsMeta(bool("discoverawsmeta"));
        b.checkin(bool("checkin"));
        b.extraPrivacyMode(bool("extraprivacymode"));
        b.noPersistMods(bool("nopersistmods"));
        b.onlyVerifyPubKey(bool("onlyverifypubkey"));
        if (!ini.getString("agent", "refreshenv", "").isBlank()) {
            Duration d = ini.getDuration("agent", "refreshenv").orElseThrow();
            if (d.isNegative()) {
                throw error("agent", "refreshenv", "must not be negative (0 disables refreshes)");
            }
            b.refreshEnv(d);
        }
        ini.get("agent", "proxies")
                .filter(v -> !v.isBlank())
                .ifPresent(v -> b.proxies(Arrays.stream(v.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList()));
        ini.get("agent", "heartbeatsecret").ifPresent(b::heartbeatSecret);
        for (String tag : ini.getAll("agent", "tags")) {
            int colon = tag.indexOf(':');
            String name = (colon < 0 ? tag : tag.substring(0, colon)).strip();
            String value = colon < 0 ? "" : tag.substring(colon + 1).strip();
            if (name.isEmpty()) {
                throw error("agent", "tags", "'" + tag + "' has no name; expected \"name:value\"");
            }
            b.tag(name, value);
        }
        ini.getLong("stats", "maxactions").ifPresent(n -> {
            if (n < 0 || n > 30) {
                throw error("stats", "maxactions", "'" + n + "' must be from 0 to 30");
            }
            b.statsMaxActions(n.intValue());
        });
        b.certs(new AgentConfig.Certs(
                ini.getString("certs", "ca", ""),
                ini.getString("certs", "cert", ""),
                ini.getString("certs", "key", "")));
        if (ini.hasSection("logging")) {
            b.logging(at(
                    "logging",
                    ini.get("logging", "level").isPresent() ? "level" : "mode",
                    () -> LoggingConfig.from(ini)));
        }
        try {
            return b.build();
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    private Duration requiredPositive(String key) {
        Optional<Duration> d = ini.getDuration("agent", key);
        if (d.isEmpty() || ini.getString("agent", key, "").isBlank()) {
            throw new ConfigException(source + ": [agent] " + key
                    + " is required when a configuration file is used (a duration such as 300s)");
        }
        if (d.get().isZero() || d.get().isNegative()) {
            throw error("agent", key, "'" + ini.getString("agent", key, "") + "' must be positive");
        }
        return d.get();
    }

    private boolean bool(String key) {
        return ini.getBool("agent", key).orElse(false);
    }

    /** Runs a check of one setting; its failure is reported at the setting's line. */
    private <T> T at(String section, String key, Supplier<T> check) {
        try {
            return check.get();
        } catch (ConfigException e) {
            if (e.getMessage().startsWith(source)) {
                throw e;
            }
            throw new ConfigException(where(section, key) + ": " + e.getMessage(), e);
        }
    }

    private ConfigException error(String section, String key, String rule) {
        return new ConfigException(where(section, key) + ": [" + section + "] " + key + " " + rule);
    }

    /** {@code file:line} of the last line setting {@code key} in {@code section}, or just the file. */
    private String where(String section, String key) {
        String current = null;
        int found = -1;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.startsWith("[")) {
                int close = l.indexOf(']');
                String name = close > 0 ? l.substring(1, close).strip() : l;
                int q = name.indexOf('"');
                current = (q >= 0 ? name.substring(0, q).strip() : name).toLowerCase(Locale.ROOT);
                continue;
            }
            if (section.equals(current)) {
                int eq = l.indexOf('=');
                String k = (eq < 0 ? l : l.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
                if (k.equals(key)) {
                    found = i + 1;
                }
            }
        }
        return found < 0 ? source : source + ":" + found;
    }
}

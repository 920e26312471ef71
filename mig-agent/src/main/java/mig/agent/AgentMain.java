package mig.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import mig.agent.build.AgentBuild;
import mig.agent.config.AgentConfig;
import mig.agent.config.AgentConfigFile;
import mig.agent.status.SocketQuery;
import mig.common.ModuleResult;
import mig.common.Version;
import mig.common.config.ConfigException;
import mig.common.config.GoDuration;
import mig.common.json.GoJson;
import mig.common.logging.LogSetup;
import mig.modules.Module;
import mig.modules.ModuleMessages;
import mig.modules.Modules;

/**
 * {@code mig-agent}: the original's flags (spec §10.1) and modes.
 *
 * <ul>
 *   <li>{@code -m agent} (default): run the agent in the foreground until SIGTERM/SIGINT.
 *       Daemonizing and service installation are not done yet: run it under systemd or similar.</li>
 *   <li>{@code -m agent-checkin} or {@code checkin = on}: consume what is queued, stop after 3 s
 *       without commands (hard cap 1.1 × moduletimeout).</li>
 *   <li>{@code -m <module>}: one parameters message on stdin, the result JSON on stdout
 *       ({@code -p}: the module's printer lines).</li>
 *   <li>{@code -i <action.json>}: run an action here without signature checks and print results.</li>
 *   <li>{@code -q pid|shutdown}: ask the running agent through its stat socket.</li>
 *   <li>{@code -S} effective settings (no secrets) and, for a packaged agent, what its build
 *       trusts; {@code -V} version; {@code -P} answers that persistent modules are not supported.</li>
 * </ul>
 * Settings, lowest first: the original's built-in values, the build's compiled-in
 * {@code mig-agent.cfg} (packaged agents), then the {@code -c} file (spec §10.2 keys only).
 * Exit codes: 0 done, 1 failure, 2 bad command line (Go's).
 */
public final class AgentMain {

    private static final Duration CHECKIN_QUIET = Duration.ofSeconds(3);
    private static final Duration QUERY_WAIT = Duration.ofSeconds(60);

    private AgentMain() {}

    public static void main(String[] args) {
        int code = run(args, System.in, System.out, System.err);
        System.exit(code);
    }

    /** Runs the command line; blocks for good in daemon mode. @return the exit code */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        AgentFlags flags;
        try {
            flags = AgentFlags.parse(args);
        } catch (AgentFlags.UsageException e) {
            if (!e.help()) {
                err.println(e.getMessage());
            }
            err.print(AgentFlags.usage());
            return e.help() ? 0 : 2;
        }
        boolean agentMode = flags.mode().equals("agent") || flags.mode().equals("agent-checkin");
        boolean tool = flags.version()
                || flags.settings()
                || flags.query().isPresent()
                || flags.persist().isPresent()
                || flags.actionFile().isPresent()
                || !agentMode;
        if (tool) {
            EndpointLogConfigurator.toolMode();
        }
        if (flags.version()) {
            out.println(Version.VERSION);
            return 0;
        }
        if (flags.persist().isPresent()) {
            err.println("mig-agent: persistent modules (-P) are not supported yet");
            return 1;
        }
        Optional<AgentBuild> build;
        AgentConfig config;
        try {
            build = AgentBuild.current();
            config = loadConfig(flags, build, err);
        } catch (ConfigException e) {
            if (agentMode
                    || flags.settings()
                    || flags.actionFile().isPresent()
                    || flags.query().isPresent()) {
                err.println("mig-agent: " + e.getMessage());
                return 1;
            }
            err.println("[warn] " + e.getMessage() + "; running the module with the built-in configuration");
            build = Optional.empty();
            config = AgentConfig.builder().build();
        }
        try {
            if (flags.query().isPresent()) {
                SocketQuery.run(config.socket(), flags.query().get(), config.runDir(), out, QUERY_WAIT);
                return 0;
            }
            if (flags.actionFile().isPresent()) {
                return LocalAction.run(
                        Path.of(flags.actionFile().get()),
                        flags.pretty(),
                        config.moduleTimeout(),
                        config.extraPrivacyMode(),
                        Modules.all(),
                        out);
            }
            if (flags.settings()) {
                printSettings(config, build, out);
                return 0;
            }
            if (!agentMode) {
                return runModule(flags.mode(), flags.pretty(), config.moduleTimeout(), in, out);
            }
            LogSetup.apply(flags.debug() ? config.logging().debug() : config.logging(), "mig-agent");
            boolean checkin = config.checkin() || flags.mode().equals("agent-checkin");
            if (checkin) {
                return runCheckin(config.toBuilder().checkin(true).build(), err);
            }
            return runDaemon(config, flags);
        } catch (IOException | ConfigException | mig.common.json.GoJsonException | SocketQuery.QueryException e) {
            err.println("mig-agent: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * The built-in configuration (the build's compiled-in {@code mig-agent.cfg} over the original's
     * defaults), then the {@code -c} file over it, then {@code -confdir}/{@code -rundir}.
     */
    static AgentConfig loadConfig(AgentFlags flags, Optional<AgentBuild> build, PrintStream err) {
        AgentConfig.Builder builtIn = AgentConfig.builder();
        if (build.isPresent() && build.get().settings().isPresent()) {
            builtIn = AgentConfigFile.parse(
                    build.get().settings().get(),
                    "compiled-in mig-agent.cfg of build " + build.get().name(),
                    builtIn)
                    .toBuilder();
        }
        Path file = Path.of(flags.configFile().orElse(AgentConfig.DEFAULT_CONFIG_FILE.toString()));
        AgentConfig.Builder b;
        if (Files.exists(file)) {
            b = AgentConfigFile.read(file, builtIn).toBuilder();
        } else if (flags.configFile().isPresent()) {
            throw new ConfigException("configuration file " + file + " does not exist");
        } else {
            err.println("[info] no configuration file at " + file + "; using the built-in configuration");
            b = builtIn;
        }
        flags.confDir().ifPresent(d -> b.confDir(Path.of(d)));
        flags.runDir().ifPresent(d -> b.runDir(Path.of(d)));
        return b.build();
    }

    private static int runModule(String name, boolean pretty, Duration timeout, InputStream in, PrintStream out) {
        Optional<Module> module = Modules.get(name);
        if (module.isEmpty()) {
            out.println(GoJson.marshal(ModuleResult.error("module '" + name + "' is not available")));
            out.flush();
            return 1;
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return ModuleMessages.runFromStdin(module.get(), reader, out, pretty, timeout);
    }

    private static int runDaemon(AgentConfig config, AgentFlags flags) throws IOException, InterruptedException {
        if (!flags.foreground() && !flags.debug()) {
            org.slf4j.LoggerFactory.getLogger(AgentMain.class)
                    .info("daemonizing and service installation are not " + "supported yet; running in the foreground");
        }
        MigAgent agent = MigAgent.start(config);
        AtomicBoolean closing = new AtomicBoolean();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (closing.compareAndSet(false, true)) {
                                agent.close();
                            }
                        },
                        "mig-agent-shutdown"));
        agent.awaitStopRequest();
        if (closing.compareAndSet(false, true)) {
            agent.close();
        }
        org.slf4j.LoggerFactory.getLogger(AgentMain.class)
                .info("agent shutdown requested over the stat socket; " + "exiting");
        return 0;
    }

    private static int runCheckin(AgentConfig config, PrintStream err) throws IOException, InterruptedException {
        Instant hardStop =
                Instant.now().plus(config.moduleTimeout().multipliedBy(11).dividedBy(10));
        try (MigAgent agent = MigAgent.start(config)) {
            if (!agent.awaitConsuming(Duration.between(Instant.now(), hardStop))) {
                err.println("mig-agent: could not consume from the relay before the check-in deadline");
                return 1;
            }
            while (!agent.idleFor(CHECKIN_QUIET)) {
                if (Instant.now().isAfter(hardStop)) {
                    err.println("mig-agent: agent in checkin mode reached max exec time, exiting");
                    return 1;
                }
                Thread.sleep(200);
            }
            return 0;
        }
    }

    /**
     * The original's {@code -S} listing, plus where trust and state live and, for a packaged agent,
     * its build and the fingerprints it trusts; the relay and proxy passwords are masked.
     */
    static void printSettings(AgentConfig c, Optional<AgentBuild> build, PrintStream out) {
        Map<String, Object> s = new java.util.LinkedHashMap<>();
        s.put("ISIMMORTAL", c.isImmortal());
        s.put("MUSTINSTALLSERVICE", c.installService());
        s.put("DISCOVERPUBLICIP", c.discoverPublicIp());
        s.put("DISCOVERAWSMETA", c.discoverAwsMeta());
        s.put("CHECKIN", c.checkin());
        s.put("EXTRAPRIVACYMODE", c.extraPrivacyMode());
        s.put("SPAWNPERSISTENT", !c.noPersistMods());
        s.put("REFRESHENV", GoDuration.format(c.refreshEnv()));
        s.put("AMQPBROKER", c.relayForDisplay());
        s.put("APIURL", c.api());
        s.put("PROXIES", "[" + String.join(" ", c.proxiesForDisplay()) + "]");
        s.put("SOCKET", c.socket());
        s.put("HEARTBEATFREQ", GoDuration.format(c.heartbeatFreq()));
        s.put("MODULETIMEOUT", GoDuration.format(c.moduleTimeout()));
        s.put("ONLYVERIFYPUBKEY", c.onlyVerifyPubKey());
        s.put("STATSMAXACTIONS", c.statsMaxActions());
        s.put("TAGS", c.tags());
        s.put("CONFFILE", c.source().map(Path::toString).orElse("(built-in)"));
        boolean fromDisk = build.isEmpty() || build.get().trustFromDisk();
        s.put(
                "BUILD",
                build.map(b -> b.name() + " (" + b.built() + ", sha256 " + b.sha256() + ")")
                        .orElse("(none: development agent)"));
        s.put(
                "TRUST",
                build.isEmpty()
                        ? "acl.cfg and agentkeys/ on disk"
                        : fromDisk
                                ? "compiled-in, replaced by acl.cfg and agentkeys/ on disk when present"
                                : "compiled-in only");
        s.put("ACLFILE", fromDisk ? c.aclFile() : "(ignored)");
        s.put("KEYSDIR", fromDisk ? c.keysDir() : "(ignored)");
        build.ifPresent(b -> s.put(
                "BUILTINKEYS",
                b.keyring().keys().stream().map(k -> k.fingerprint()).toList()));
        s.put("RUNDIR", c.runDir());
        s.put("SPOOL", c.runDir().resolve("spool"));
        s.put(
                "CERTS",
                "ca=" + c.certs().ca() + " cert=" + c.certs().cert() + " key="
                        + c.certs().key());
        s.put(
                "LOGGING",
                "mode=" + c.logging().mode() + " level=" + c.logging().level()
                        + (c.logging().file().isEmpty()
                                ? ""
                                : " file=" + c.logging().file()));
        s.forEach((k, v) -> out.println(String.format("%-18s:  %s", k, v)));
        out.flush();
    }
}

package mig.agent.build;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import mig.common.Version;
import mig.common.config.ConfigException;
import mig.common.pgp.PublicKey;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The build step that compiles trust into an agent ({@code packaging/agent/build-agent.sh} runs it):
 * checks a {@link TrustFolder}, merges the agent's class path and the trust into one jar, and lays
 * out the {@code .deb} tree around it.
 *
 * <pre>
 *   java -cp 'mig-agent/target/mig-agent-*.jar:mig-agent/target/lib/*' mig.agent.build.AgentPackager \
 *       --trust DIR --out DIR [--unit conf/mig-agent.service --launcher packaging/agent/mig-agent] \
 *       [--classpath A:B:...]
 * </pre>
 * Writes {@code OUT/mig-agent.jar} and, given a unit and a launcher, {@code OUT/deb/}. The class
 * path to merge defaults to this program's own. Exit 0 done, 1 the trust folder or an input is
 * wrong (the message says which and why), 2 bad command line.
 */
public final class AgentPackager {

    private AgentPackager() {}

    /**
     * What one packaging run made.
     *
     * @param debTree  the {@code .deb} tree, when a unit and a launcher were given
     * @param warnings what is legal in the trust folder but probably not meant
     */
    public record Result(Path jar, Optional<Path> debTree, AgentBuild build, List<String> warnings) {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The packager's options (our own tool, so GNU-style {@code --name value}). */
    @CommandLine.Command(name = "AgentPackager")
    static final class Options {
        @Option(names = "--trust")
        String trust;

        @Option(names = "--out")
        String out;

        @Option(names = "--unit")
        String unit;

        @Option(names = "--launcher")
        String launcher;

        @Option(names = "--classpath")
        String classpath = System.getProperty("java.class.path");
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options opts = new Options();
        try {
            new CommandLine(opts)
                    .setOverwrittenOptionsAllowed(true)
                    .setExpandAtFiles(false)
                    .setAllowOptionsAsOptionParameters(true)
                    .setUnmatchedOptionsAllowedAsOptionParameters(true)
                    .parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("usage: AgentPackager --trust DIR --out DIR [--unit FILE --launcher FILE] " + "[--classpath A"
                    + File.pathSeparator + "B...]");
            return 2;
        }
        if (opts.trust == null || opts.out == null || (opts.unit == null) != (opts.launcher == null)) {
            err.println("usage: --trust and --out are required; --unit and --launcher go together");
            return 2;
        }
        List<Path> classpath = new ArrayList<>();
        for (String e : opts.classpath.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                classpath.add(Path.of(e));
            }
        }
        try {
            Result r = pack(
                    Path.of(opts.trust),
                    Path.of(opts.out),
                    classpath,
                    Optional.ofNullable(opts.unit).map(Path::of),
                    Optional.ofNullable(opts.launcher).map(Path::of),
                    Clock.systemUTC());
            r.warnings().forEach(w -> err.println("[warn] " + w));
            out.print(summary(r.build()));
            out.println("jar:      " + r.jar());
            r.debTree()
                    .ifPresent(d -> out.println(
                            "deb tree: " + d + "  (dpkg-deb --root-owner-group --build " + d + " <file>.deb)"));
            return 0;
        } catch (ConfigException | IOException e) {
            err.println("mig-agent packager: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Packages an agent.
     *
     * @param classpath the agent's jars and class folders, in class path order
     * @throws ConfigException if the trust folder breaks a rule
     * @throws IOException     if an input cannot be read or the output written
     */
    public static Result pack(
            Path trustDir, Path outDir, List<Path> classpath, Optional<Path> unit, Optional<Path> launcher, Clock clock)
            throws IOException {
        TrustFolder trust = TrustFolder.read(trustDir);
        Files.createDirectories(outDir);
        Instant built = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Map<String, byte[]> content = trust.content();
        FatJar jar = new FatJar();
        for (Path entry : classpath) {
            jar.add(entry);
        }
        content.forEach((name, data) -> jar.addResource(AgentBuild.ROOT + name, data));
        jar.addResource(AgentBuild.PROPERTIES, properties(trust, built, content));
        // Logback configured in code on endpoints (EndpointLogConfigurator says why).
        jar.addService("ch.qos.logback.classic.spi.Configurator", "mig.agent.EndpointLogConfigurator");
        Path jarFile = outDir.resolve("mig-agent.jar");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("Implementation-Title", "mig-agent");
        attributes.put("Implementation-Version", Version.VERSION);
        attributes.put("MIG-Agent-Build", trust.name());
        jar.write(jarFile, "mig.agent.AgentMain", attributes);
        // the built-in settings inside may carry the relay password: the owner's only
        if (Files.getFileStore(jarFile).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(jarFile, PosixFilePermissions.fromString("rw-------"));
        }
        AgentBuild build = verify(jarFile);
        Optional<Path> deb = Optional.empty();
        if (unit.isPresent() && launcher.isPresent()) {
            Path tree = outDir.resolve("deb");
            DebTree.write(tree, jarFile, launcher.get(), unit.get(), trust.name(), Version.VERSION, summary(build));
            deb = Optional.of(tree);
        }
        return new Result(jarFile, deb, build, trust.warnings());
    }

    /** Reads the trust back from the written jar, as the agent will at start. */
    private static AgentBuild verify(Path jarFile) throws IOException {
        try (java.net.URLClassLoader loader =
                new java.net.URLClassLoader(new java.net.URL[] {jarFile.toUri().toURL()}, null)) {
            return AgentBuild.load(loader)
                    .orElseThrow(() -> new IOException(jarFile + " was written without its " + AgentBuild.PROPERTIES));
        }
    }

    private static byte[] properties(TrustFolder trust, Instant built, Map<String, byte[]> content) throws IOException {
        Properties p = new Properties();
        p.setProperty("name", trust.name());
        p.setProperty("built", built.toString());
        p.setProperty("trustfromdisk", Boolean.toString(trust.trustFromDisk()));
        p.setProperty("keys", String.join(",", trust.keys().keySet()));
        p.setProperty("settings", Boolean.toString(trust.settings().isPresent()));
        p.setProperty(
                "persist",
                String.join(",", new java.util.TreeSet<>(trust.persist().keySet())));
        p.setProperty("sha256", AgentBuild.digest(trust.name(), trust.trustFromDisk(), content));
        StringWriter w = new StringWriter();
        p.store(w, "MIG agent build: written by mig.agent.build.AgentPackager; do not edit (sha256 covers the trust)");
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What a build trusts, for people: {@code -S}, the packager's output, the package's BUILD file. */
    public static String summary(AgentBuild b) {
        StringBuilder sb = new StringBuilder();
        sb.append("build:    ").append(b.name()).append(" (").append(b.built()).append(")\n");
        sb.append("sha256:   ").append(b.sha256()).append('\n');
        sb.append("settings: ")
                .append(b.settings().isPresent() ? "compiled-in mig-agent.cfg" : "built-in defaults")
                .append('\n');
        sb.append("persist:  ")
                .append(
                        b.persist().isEmpty()
                                ? "no persistent module"
                                : "compiled-in "
                                        + String.join(
                                                ", ",
                                                new java.util.TreeSet<>(
                                                        b.persist().keySet())))
                .append('\n');
        sb.append("trust:    ")
                .append(
                        b.trustFromDisk()
                                ? "compiled-in, replaced by /etc/mig/acl.cfg and agentkeys/ " + "when present"
                                : "compiled-in only (acl.cfg and agentkeys/ on disk are ignored)")
                .append('\n');
        for (PublicKey k : b.keyring().keys()) {
            sb.append("key:      ")
                    .append(k.fingerprint())
                    .append(' ')
                    .append(String.join(", ", k.userIds()))
                    .append('\n');
        }
        return sb.toString();
    }
}

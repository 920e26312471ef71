package mig.agent.persist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mig.agent.build.AgentBuild;
import mig.agent.config.AgentConfig;
import mig.common.config.ConfigException;

/**
 * Which persistent modules an agent runs, and with what: a module runs when its configuration file
 * exists, {@code fswatch.cfg} and {@code dispatch.cfg} in the original's formats. A packaged agent
 * takes them from its build (compiled in beside the ACL, covered by the build's digest), so that
 * whoever can write {@code /etc/mig} cannot turn off the file watch or send the alerts elsewhere;
 * an agent run from the development tree (or a build with {@code trustfromdisk}) reads them from
 * its configuration folder, as the original read {@code /etc/mig/<module>.cfg}.
 */
public record PersistSettings(Optional<FsWatchConfig> fswatch, Optional<DispatchConfig> dispatch) {

    /** The file names, in the build and in the configuration folder. */
    public static final List<String> FILES = List.of("fswatch.cfg", "dispatch.cfg");

    public static final PersistSettings NONE = new PersistSettings(Optional.empty(), Optional.empty());

    /** True when no persistent module is configured. */
    public boolean isEmpty() {
        return fswatch.isEmpty() && dispatch.isEmpty();
    }

    /**
     * Parses the files present, by name ({@code fswatch.cfg}, {@code dispatch.cfg}).
     *
     * @param where names the origin in error messages, e.g. {@code compiled-in} or a folder
     * @throws ConfigException naming the file and the bad value
     */
    public static PersistSettings parse(Map<String, String> files, String where) {
        return new PersistSettings(
                Optional.ofNullable(files.get("fswatch.cfg")).map(t -> FsWatchConfig.parse(t, where + "/fswatch.cfg")),
                Optional.ofNullable(files.get("dispatch.cfg"))
                        .map(t -> DispatchConfig.parse(t, where + "/dispatch.cfg")));
    }

    /** The settings for this agent: its build's, or its configuration folder's (see the class comment). */
    public static PersistSettings forAgent(Optional<AgentBuild> build, AgentConfig config) {
        if (build.isPresent() && !build.get().trustFromDisk()) {
            return parse(build.get().persist(), "compiled-in");
        }
        Map<String, String> files = new LinkedHashMap<>();
        Path dir = config.confDir();
        for (String f : FILES) {
            Path p = dir.resolve(f);
            if (Files.isRegularFile(p)) {
                try {
                    files.put(f, Files.readString(p, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new ConfigException("cannot read " + p + ": " + e.getMessage(), e);
                }
            }
        }
        if (files.isEmpty() && build.isPresent()) {
            return parse(build.get().persist(), "compiled-in");
        }
        return parse(files, dir.toString());
    }
}

package mig.agent.persist;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;

/**
 * The fswatch module's configuration, the original's {@code fswatch.cfg}: {@code [paths] path = ...}
 * repeated; a {@code recursive:} prefix also watches every folder below. No path means the
 * original's Linux profile ({@link #LINUX_DEFAULT}).
 */
public record FsWatchConfig(List<Entry> entries) {

    /** One watched path. */
    public record Entry(Path path, boolean recursive) {}

    /** The original's {@code localFsWatchProfile} for Linux. */
    public static final List<Entry> LINUX_DEFAULT = List.of(
            new Entry(Path.of("/boot"), false),
            new Entry(Path.of("/etc/cron.d"), false),
            new Entry(Path.of("/var/spool/cron"), false),
            new Entry(Path.of("/bin"), false),
            new Entry(Path.of("/sbin"), false),
            new Entry(Path.of("/usr/bin"), false),
            new Entry(Path.of("/usr/sbin"), false),
            new Entry(Path.of("/etc"), true),
            new Entry(Path.of("/etc/init.d"), false),
            new Entry(Path.of("/etc/systemd"), true));

    private static final Map<String, Set<String>> KNOWN = Map.of("paths", Set.of("path"));

    public FsWatchConfig {
        entries = List.copyOf(entries);
    }

    /** @throws ConfigException naming the file and the bad value */
    public static FsWatchConfig parse(String text, String source) {
        IniConfig ini = IniConfig.parse(text, source).requireKnown(KNOWN);
        List<Entry> out = new ArrayList<>();
        for (String p : ini.getAll("paths", "path")) {
            String v = p.strip();
            boolean recursive = v.startsWith("recursive:");
            if (recursive) {
                v = v.substring("recursive:".length()).strip();
            }
            if (v.isEmpty() || !v.startsWith("/")) {
                throw new ConfigException(source + ": [paths] path = \"" + p + "\" must be an absolute path,"
                        + " optionally prefixed with recursive:");
            }
            out.add(new Entry(Path.of(v).normalize(), recursive));
        }
        return new FsWatchConfig(out.isEmpty() ? LINUX_DEFAULT : out);
    }
}

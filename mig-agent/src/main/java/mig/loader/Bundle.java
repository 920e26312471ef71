package mig.loader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The original's bundle dictionary for Linux: the only names a manifest may update and where each
 * goes. A manifest cannot name a path, so a signed manifest can replace these files and no other.
 */
final class Bundle {
    /** One bundle entry: its name in manifests, its path, its permissions (octal). */
    record Entry(String name, Path path, int mode) {}

    private static final Object[][] LINUX = {
        {"mig-agent", "/sbin/mig-agent", 0700},
        {"mig-loader", "/sbin/mig-loader", 0700},
        {"configuration", "/etc/mig/mig-agent.cfg", 0600},
        {"agentcert", "/etc/mig/agent.crt", 0644},
        {"agentkey", "/etc/mig/agent.key", 0600},
        {"cacert", "/etc/mig/ca.crt", 0644},
        {"loaderconfig", "/etc/mig/mig-loader.cfg", 0600},
    };

    static final List<String> NAMES =
            java.util.Arrays.stream(LINUX).map(r -> (String) r[0]).toList();

    private Bundle() {}

    static List<Entry> linux(Path root, Map<String, String> overrides) {
        List<Entry> out = new ArrayList<>();
        for (Object[] r : LINUX) {
            String name = (String) r[0];
            String path = overrides.getOrDefault(name, (String) r[1]);
            out.add(new Entry(name, root.resolve(path.startsWith("/") ? path.substring(1) : path), (Integer) r[2]));
        }
        return out;
    }
}

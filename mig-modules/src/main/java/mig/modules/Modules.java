package mig.modules;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of available modules, discovered once with {@link ServiceLoader}. Two modules with
 * the same name are a startup error, as in the original's {@code Register}.
 */
public final class Modules {

    private static final Logger LOG = LoggerFactory.getLogger(Modules.class);
    private static volatile Map<String, Module> all;

    private Modules() {}

    /** Every module on the class path, by name (sorted). */
    public static Map<String, Module> all() {
        Map<String, Module> m = all;
        if (m == null) {
            synchronized (Modules.class) {
                m = all;
                if (m == null) {
                    m = discover(ServiceLoader.load(Module.class, Modules.class.getClassLoader()));
                    all = m;
                }
            }
        }
        return m;
    }

    /** The module named exactly {@code name} (names are case-sensitive in actions). */
    public static Optional<Module> get(String name) {
        return Optional.ofNullable(all().get(name));
    }

    /** Names of every available module, sorted. */
    public static List<String> names() {
        return List.copyOf(all().keySet());
    }

    static Map<String, Module> discover(Iterable<Module> found) {
        Map<String, Module> byName = new TreeMap<>();
        for (Module m : found) {
            Module prev = byName.putIfAbsent(m.name(), m);
            if (prev != null) {
                throw new IllegalStateException("module name '" + m.name() + "' registered twice, by "
                        + prev.getClass().getName() + " and " + m.getClass().getName()
                        + "; is a module jar on the class path twice?");
            }
            LOG.debug("module {} found: {}", m.name(), m.getClass().getName());
        }
        return Collections.unmodifiableMap(byName);
    }
}

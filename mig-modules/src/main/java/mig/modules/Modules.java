package mig.modules;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of available modules, discovered once with {@link ServiceLoader}. Two modules with
 * the same name are a startup error, as in the original's {@code Register}.
 *
 * <p>It logs nothing (the agent logs the modules it offers when it starts): a logger here set up
 * logging, some 220 classes, in every {@code mig -t local} run, which otherwise logs nothing.
 */
public final class Modules {

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
        }
        return Collections.unmodifiableMap(byName);
    }
}

package mig.agent.build;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * Merges the agent's class path into one runnable jar, the way the shade plugin would, plus the
 * build's trust resources: one file to install, and no {@code lib/} folder next to it that could
 * hold a second, different copy of a class.
 *
 * <p>Rules: the first copy of an entry wins (class path order); {@code META-INF/services/*} files
 * are concatenated (without repeated lines), so every {@code ServiceLoader} provider, modules
 * included, survives; signature files ({@code *.SF}, {@code *.DSA}, {@code *.RSA}, {@code *.EC}),
 * {@code module-info.class}, {@code INDEX.LIST} and any input's own {@code mig-agent-build/}
 * resources are dropped. Entries get a fixed time, so the same inputs give the same bytes.
 */
final class FatJar {

    /** Fixed entry time: 2019-01-01, the original's last year. */
    private static final long ENTRY_TIME = 1546300800000L;

    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final Map<String, Set<String>> services = new LinkedHashMap<>();
    private int duplicates;

    /** Adds a jar or a classes folder. */
    void add(Path entry) throws IOException {
        if (Files.isDirectory(entry)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(entry)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                String name = entry.relativize(f).toString().replace('\\', '/');
                put(name, Files.readAllBytes(f));
            }
        } else if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
            try (JarFile jar = new JarFile(entry.toFile(), false)) {
                Enumeration<JarEntry> all = jar.entries();
                while (all.hasMoreElements()) {
                    JarEntry e = all.nextElement();
                    if (e.isDirectory()) {
                        continue;
                    }
                    try (InputStream in = jar.getInputStream(e)) {
                        put(e.getName(), in.readAllBytes());
                    }
                }
            }
        } else {
            throw new IOException("class path entry " + entry + " is neither a jar nor a folder");
        }
    }

    /** Adds a generated resource; it replaces nothing and must be new. */
    void addResource(String name, byte[] data) {
        if (entries.putIfAbsent(name, data) != null) {
            throw new IllegalStateException("resource " + name + " is already in the jar");
        }
    }

    /** Registers a service provider, as a {@code META-INF/services/<service>} line. */
    void addService(String service, String provider) {
        services.computeIfAbsent("META-INF/services/" + service, n -> new LinkedHashSet<>())
                .add(provider);
    }

    /** How many entries were dropped because an earlier class path entry had them. */
    int duplicates() {
        return duplicates;
    }

    private void put(String name, byte[] data) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.equals("META-INF/MANIFEST.MF")
                || upper.equals("META-INF/INDEX.LIST")
                || name.endsWith("module-info.class")
                || name.startsWith(AgentBuild.ROOT)
                || (upper.startsWith("META-INF/")
                        && !upper.substring(9).contains("/")
                        && (upper.endsWith(".SF")
                                || upper.endsWith(".DSA")
                                || upper.endsWith(".RSA")
                                || upper.endsWith(".EC")))) {
            return;
        }
        if (name.startsWith("META-INF/services/") && name.length() > "META-INF/services/".length()) {
            Set<String> lines = services.computeIfAbsent(name, n -> new LinkedHashSet<>());
            for (String line : new String(data, StandardCharsets.UTF_8).split("\r?\n")) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    lines.add(l);
                }
            }
            return;
        }
        if (entries.putIfAbsent(name, data) != null) {
            duplicates++;
        }
    }

    /** Writes the jar with a manifest naming {@code mainClass} and the extra attributes. */
    void write(Path target, String mainClass, Map<String, String> attributes) throws IOException {
        Manifest mf = new Manifest();
        Attributes main = mf.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, mainClass);
        main.put(new Attributes.Name("Multi-Release"), "true");
        attributes.forEach((k, v) -> main.put(new Attributes.Name(k), v));
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream file = Files.newOutputStream(tmp);
                JarOutputStream jar = new JarOutputStream(file)) {
            ByteArrayOutputStream m = new ByteArrayOutputStream();
            mf.write(m);
            putEntry(jar, "META-INF/", null);
            putEntry(jar, "META-INF/MANIFEST.MF", m.toByteArray());
            Set<String> dirs = new LinkedHashSet<>();
            dirs.add("META-INF/");
            List<String> names = new ArrayList<>(entries.keySet());
            services.keySet().forEach(names::add);
            names.sort(String::compareTo);
            for (String name : names) {
                for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
                    String dir = name.substring(0, i + 1);
                    if (dirs.add(dir)) {
                        putEntry(jar, dir, null);
                    }
                }
                byte[] data = entries.containsKey(name)
                        ? entries.get(name)
                        : (String.join("\n", services.get(name)) + "\n").getBytes(StandardCharsets.UTF_8);
                putEntry(jar, name, data);
            }
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void putEntry(JarOutputStream jar, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(ENTRY_TIME);
        jar.putNextEntry(e);
        if (data != null) {
            jar.write(data);
        }
        jar.closeEntry();
    }
}

package mig.modules.pkg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The packages {@code dpkg -l} lists as {@code ii}, read from dpkg's own database ({@code status}
 * and the pending records in {@code updates/}, as dpkg-query reads them) instead of running it.
 *
 * <p>The original ran {@code dpkg -l} and kept the lines whose first column is exactly {@code ii}
 * (wanted install, installed, no error flag); the name, version and architecture are the next three
 * columns. So here: {@code Status: install ok installed}; the name is qualified with
 * {@code :<arch>} when dpkg's {@code pnaw_nonambig} rule does (Multi-Arch: same, or an architecture
 * that is neither native nor {@code all}); the order is dpkg-query's (name, then architecture).
 */
final class DpkgDatabase {

    private final Path dir;
    private final List<String> errors = new ArrayList<>();

    /** @param dir dpkg's administrative directory, {@code /var/lib/dpkg} on a real system */
    DpkgDatabase(Path dir) {
        this.dir = dir;
    }

    /** Reading problems other than "no dpkg here", which the original also met silently. */
    List<String> errors() {
        return errors;
    }

    /** The installed packages; empty when there is no dpkg database, as when the original found no dpkg. */
    List<PackageInfo> installed() {
        Map<String, Map<String, String>> records = new LinkedHashMap<>();
        try {
            parse(Files.readAllBytes(dir.resolve("status")), records);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            errors.add("dpkg database " + dir.resolve("status") + " not read: " + e);
            return List.of();
        }
        for (Path update : updates()) {
            try {
                parse(Files.readAllBytes(update), records);
            } catch (IOException e) {
                errors.add("dpkg journal " + update + " not read: " + e);
            }
        }
        String nativeArch = nativeArch(records);
        List<PackageInfo> out = new ArrayList<>();
        List<String[]> sortable = new ArrayList<>();
        for (Map<String, String> r : records.values()) {
            if (!"install ok installed".equals(r.get("status"))) {
                continue;
            }
            String name = r.get("package");
            String arch = r.getOrDefault("architecture", "");
            String version = r.getOrDefault("version", "");
            if (name == null || name.isEmpty() || version.isEmpty() || arch.isEmpty()) {
                continue; // dpkg -l would print fewer than four columns: the original skipped the line
            }
            boolean qualify = "same".equals(r.get("multi-arch")) || !(arch.equals(nativeArch) || arch.equals("all"));
            sortable.add(new String[] {name, arch, qualify ? name + ":" + arch : name, version});
        }
        // dpkg-query's pkg_sorter_by_nonambig_name_arch: C strcmp of the names, then of the architectures
        Comparator<String> bytes = DpkgDatabase::compareBytes;
        sortable.sort(Comparator.<String[], String>comparing(a -> a[0], bytes).thenComparing(a -> a[1], bytes));
        for (String[] a : sortable) {
            out.add(new PackageInfo(a[2], a[3], "dpkg", a[1]));
        }
        return out;
    }

    /** dpkg applies its journal ({@code updates/NNNN}, digits only) over the status file, in name order. */
    private List<Path> updates() {
        Map<String, Path> found = new TreeMap<>();
        Path u = dir.resolve("updates");
        if (!Files.isDirectory(u)) {
            return List.of();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(u)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(c -> c >= '0' && c <= '9') && Files.isRegularFile(p)) {
                    found.put(n, p);
                }
            }
        } catch (IOException e) {
            errors.add("dpkg journal " + u + " not read: " + e);
        }
        return List.copyOf(found.values());
    }

    /**
     * dpkg's native architecture is compiled into dpkg; the architecture of the installed
     * {@code dpkg} package is that same value, read without running {@code dpkg --print-architecture}.
     */
    private static String nativeArch(Map<String, Map<String, String>> records) {
        for (Map<String, String> r : records.values()) {
            if ("dpkg".equals(r.get("package"))
                    && r.get("architecture") != null
                    && !"all".equals(r.get("architecture"))) {
                return r.get("architecture");
            }
        }
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "i386";
            default -> System.getProperty("os.arch", "");
        };
    }

    /**
     * Parses deb822 records (field lines, continuation lines starting with a blank, records separated
     * by empty lines) into {@code records}, keyed by package and architecture so a later record of
     * the same package replaces the earlier, as dpkg's journal does. Only the fields used are kept.
     */
    static void parse(byte[] data, Map<String, Map<String, String>> records) {
        String text = new String(data, StandardCharsets.UTF_8);
        Map<String, String> cur = new TreeMap<>();
        int i = 0;
        int n = text.length();
        while (i <= n) {
            int eol = text.indexOf('\n', i);
            if (eol < 0) {
                eol = n;
            }
            String line = text.substring(i, eol);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                store(cur, records);
                cur = new TreeMap<>();
            } else if (line.charAt(0) != ' ' && line.charAt(0) != '\t') {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String key = line.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
                    if (key.equals("package")
                            || key.equals("status")
                            || key.equals("version")
                            || key.equals("architecture")
                            || key.equals("multi-arch")) {
                        cur.put(key, line.substring(colon + 1).strip());
                    }
                }
            }
            i = eol + 1;
        }
        store(cur, records);
    }

    private static void store(Map<String, String> rec, Map<String, Map<String, String>> records) {
        String name = rec.get("package");
        if (name == null) {
            return;
        }
        String key = name + ":" + rec.getOrDefault("architecture", "");
        Map<String, String> prev = records.get(key);
        if (prev != null) {
            // a journal record may carry only some fields: what it does not say is kept
            prev.putAll(rec);
        } else {
            records.put(key, rec);
        }
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}

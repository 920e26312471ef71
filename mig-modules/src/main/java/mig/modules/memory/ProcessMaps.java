package mig.modules.memory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A process's mappings from {@code /proc/<pid>/maps}: {@code start-end perms offset dev inode path}.
 * From them come the libraries a process has loaded and the readable regions of its memory.
 */
final class ProcessMaps {

    /** One line. {@code path} is empty for anonymous memory, e.g. {@code [heap]} for special ones. */
    record Mapping(long start, long end, String range, boolean readable, String path) {}

    /** Contiguous readable memory {@code [start, end)}. */
    record Region(long start, long end) {}

    private final List<Mapping> mappings;

    private ProcessMaps(List<Mapping> mappings) {
        this.mappings = mappings;
    }

    /**
     * Parses the file's lines.
     *
     * @throws IllegalArgumentException for a line that is not a mapping, naming it
     */
    static ProcessMaps parse(List<String> lines) {
        List<Mapping> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ", 6);
            int dash = f[0].indexOf('-');
            if (f.length < 5 || dash < 0 || f[1].isEmpty()) {
                throw new IllegalArgumentException("Unrecognised maps line: " + line);
            }
            long start;
            long end;
            try {
                start = Long.parseUnsignedLong(f[0], 0, dash, 16);
                end = Long.parseUnsignedLong(f[0], dash + 1, f[0].length(), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Unrecognised maps line: " + line, e);
            }
            String path = f.length == 6 ? f[5].stripLeading() : "";
            out.add(new Mapping(start, end, f[0], f[1].charAt(0) == 'r', path));
        }
        return new ProcessMaps(out);
    }

    /**
     * The files the process maps, as the original lists loaded libraries: every distinct path except
     * the executable itself, {@code /dev/zero} and pseudo-paths such as {@code [heap]}.
     */
    List<String> libraries(String processName) {
        Set<String> libs = new LinkedHashSet<>();
        for (Mapping m : mappings) {
            String p = m.path();
            if (p.isEmpty()
                    || p.startsWith("[")
                    || p.equals(processName)
                    || p.equals("/dev/zero")
                    || p.equals("/dev/zero (deleted)")) {
                continue;
            }
            libs.add(p);
        }
        return List.copyOf(libs);
    }

    /**
     * Readable memory at or after {@code from}, adjacent readable mappings merged so that a match may
     * span them. {@code [vsyscall]} (which cannot be read) and addresses past 2^63 (which a file
     * position cannot reach) are left out.
     */
    List<Region> readableRegions(long from) {
        List<Region> regions = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (Mapping m : mappings) {
            if (!m.readable()
                    || m.path().equals("[vsyscall]")
                    || m.start() < 0
                    || m.end() <= 0
                    || Long.compareUnsigned(m.end(), from) <= 0) {
                continue;
            }
            long s = Math.max(m.start(), from);
            if (start >= 0 && s == end) {
                end = m.end();
                continue;
            }
            if (start >= 0) {
                regions.add(new Region(start, end));
            }
            start = s;
            end = m.end();
        }
        if (start >= 0) {
            regions.add(new Region(start, end));
        }
        return regions;
    }

    /** The original's soft failure for each mapping that cannot be read, e.g. {@code Unreadable memory 7f00-7f10}. */
    List<String> unreadable(long from) {
        List<String> out = new ArrayList<>();
        for (Mapping m : mappings) {
            if (!m.readable() && Long.compareUnsigned(m.end(), from) > 0) {
                out.add("Unreadable memory " + m.range());
            }
        }
        return out;
    }
}

package mig.modules.file;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import mig.common.ModuleResult;
import mig.common.json.GoJson;

/**
 * The original's result printer: one line per matched file
 * ({@code /usr/bin/wget [lastmodified:2025-03-03 13:32:32 +0000 UTC, mode:-rwxr-xr-x, size:470384] in search 's1'},
 * plus {@code on checks name='..'} for matchany), {@code 0 match found in search 's1'} for an empty
 * entry, then the errors and a statistics line unless only found results are asked for. Lines carry
 * no agent name; the client prepends it. Labels are printed in sorted order (the original's order was
 * Go's random map order).
 */
final class FilePrinter {

    private static final TypeReference<Map<String, List<MatchedFile>>> ELEMENTS = new TypeReference<>() {};

    private FilePrinter() {}

    static List<String> lines(ModuleResult result, boolean foundOnly) {
        Map<String, List<MatchedFile>> elements;
        Statistics stats;
        try {
            elements = readElements(result.elements());
            stats = readStatistics(result.statistics());
        } catch (IllegalArgumentException e) {
            return List.of("the file module's results cannot be read: " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<MatchedFile>> e : elements.entrySet()) {
            String label = e.getKey();
            for (MatchedFile mf : e.getValue() == null ? List.<MatchedFile>of() : e.getValue()) {
                String line;
                if (mf.file().isEmpty()) {
                    if (foundOnly) {
                        continue;
                    }
                    line = "0 match found in search '" + label + "'";
                } else {
                    FileInfo fi = mf.fileInfo();
                    StringBuilder sb = new StringBuilder(mf.file())
                            .append(" [lastmodified:")
                            .append(fi.lastModified())
                            .append(", mode:")
                            .append(fi.mode())
                            .append(", size:")
                            .append(GoFormats.fixed0(fi.size()));
                    if (fi.sha256() != null && !fi.sha256().isEmpty()) {
                        sb.append(", sha256:").append(fi.sha256().toLowerCase(Locale.ROOT));
                    }
                    line = sb.append("] in search '").append(label).append('\'').toString();
                }
                Search s = mf.search();
                if (s != null && s.options().matchAll()) {
                    out.add(line);
                    continue;
                }
                out.add(line + " on checks" + checks(s));
            }
        }
        if (!foundOnly) {
            if (result.errors() != null) {
                out.addAll(result.errors());
            }
            out.add("Statistics: " + GoFormats.fixed0(stats.filesCount()) + " files checked, "
                    + GoFormats.fixed0(stats.openFailed()) + " failed to open, " + GoFormats.fixed0(stats.totalHits())
                    + " matched, ran in " + (stats.execTime() == null ? "" : stats.execTime()) + ".");
        }
        return out;
    }

    private static String checks(Search s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Filter f : List.of(
                Filter.NAME,
                Filter.SIZE,
                Filter.MODE,
                Filter.MTIME,
                Filter.CONTENT,
                Filter.MD5,
                Filter.SHA1,
                Filter.SHA2,
                Filter.SHA3)) {
            for (String v : s.values(f)) {
                sb.append(' ').append(f.wireName()).append("='").append(v).append('\'');
            }
        }
        return sb.toString();
    }

    /** The elements of a file result, whether they are our records or JSON from any agent. */
    static Map<String, List<MatchedFile>> readElements(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new TreeMap<>();
        }
        JsonNode tree = node.isPojo() ? GoJson.toTree(node) : node;
        Map<String, List<MatchedFile>> m = GoJson.mapper().convertValue(tree, ELEMENTS);
        return m == null ? new TreeMap<>() : new TreeMap<>(m);
    }

    private static Statistics readStatistics(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Statistics.ZERO;
        }
        JsonNode tree = node.isPojo() ? GoJson.toTree(node) : node;
        Statistics s = GoJson.mapper().convertValue(tree, Statistics.class);
        return s == null ? Statistics.ZERO : s;
    }
}

package mig.modules.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mig.common.ModuleResult;

/**
 * The agent's extra privacy mode for file results, as the original: every error becomes
 * {@code masked} (an error can name a path) and every matched file name becomes {@code masked};
 * what was searched for and the file metadata stay.
 */
final class FilePrivacy {

    static final String MASKED = "masked";

    private FilePrivacy() {}

    static ModuleResult mask(ModuleResult in) {
        List<String> errors =
                in.errors() == null ? null : Collections.nCopies(in.errors().size(), MASKED);
        JsonNode elements = in.elements();
        try {
            Map<String, List<MatchedFile>> el = FilePrinter.readElements(elements);
            Map<String, List<MatchedFile>> masked = new TreeMap<>();
            el.forEach((label, list) -> {
                List<MatchedFile> out = new ArrayList<>();
                for (MatchedFile mf : list == null ? List.<MatchedFile>of() : list) {
                    out.add(mf.file().isEmpty() ? mf : new MatchedFile(MASKED, mf.search(), mf.fileInfo()));
                }
                masked.put(label, out);
            });
            if (!elements.isNull() && !elements.isMissingNode()) {
                elements = JsonNodeFactory.instance.pojoNode(masked);
            }
        } catch (IllegalArgumentException e) {
            elements = maskTree(elements.deepCopy());
        }
        return new ModuleResult(in.foundAnything(), in.success(), elements, in.statistics(), errors);
    }

    /** Fallback for elements our records cannot read: mask every non-empty "file" string. */
    private static JsonNode maskTree(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            JsonNode file = o.get("file");
            if (file != null && file.isTextual() && !file.textValue().isEmpty()) {
                o.put("file", MASKED);
            }
            o.elements().forEachRemaining(FilePrivacy::maskTree);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(FilePrivacy::maskTree);
        }
        return node;
    }
}

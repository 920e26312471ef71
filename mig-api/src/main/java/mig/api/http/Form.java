package mig.api.http;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A posted form: text fields and uploaded files, each name at most once.
 *
 * @param fields text fields
 * @param files  uploaded files (multipart only)
 */
public record Form(Map<String, String> fields, Map<String, Upload> files) {

    /** An uploaded file: the name the client gave it and its bytes. */
    public record Upload(String filename, byte[] content) {}

    public Form {
        fields = Map.copyOf(fields);
        files = Map.copyOf(files);
        // PostgreSQL text cannot hold NUL: refused here with a 400 rather than a 500 from the insert
        // (the fuzzer's finding: an investigator named with a NUL in it).
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (f.getValue().indexOf('\u0000') >= 0) {
                throw ApiException.badRequest(
                        "form field '" + f.getKey() + "' holds a NUL character, which is not " + "accepted");
            }
        }
    }

    /** Every field and file name. */
    public Set<String> names() {
        Set<String> all = new TreeSet<>(fields.keySet());
        all.addAll(files.keySet());
        return all;
    }

    /** A text field, if present (an empty value counts as present). */
    public Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** A text field that must be present and not empty. */
    public String require(String name, String whatItIs) {
        String v = fields.get(name);
        if (v == null || v.isEmpty()) {
            throw ApiException.badRequest("missing form field '" + name + "' (" + whatItIs + ")");
        }
        return v;
    }

    /** A file, if uploaded. */
    public Optional<Upload> file(String name) {
        return Optional.ofNullable(files.get(name));
    }
}

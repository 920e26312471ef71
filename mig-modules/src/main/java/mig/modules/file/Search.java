package mig.modules.file;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import mig.common.json.OmitEmpty;

/**
 * One search of the file module's parameters, and the {@code search} object of each matched file in
 * its results, as the original's {@code Search} struct (same field order and omitempty rules).
 * Values are kept exactly as given: a name keeps its leading {@code !}, a hash its case.
 */
record Search(
        @JsonProperty("description") @OmitEmpty String description,
        @JsonProperty("paths") List<String> paths,
        @JsonProperty("contents") @OmitEmpty List<String> contents,
        @JsonProperty("names") @OmitEmpty List<String> names,
        @JsonProperty("sizes") @OmitEmpty List<String> sizes,
        @JsonProperty("modes") @OmitEmpty List<String> modes,
        @JsonProperty("mtimes") @OmitEmpty List<String> mtimes,
        @JsonProperty("md5") @OmitEmpty List<String> md5,
        @JsonProperty("sha1") @OmitEmpty List<String> sha1,
        @JsonProperty("sha2") @OmitEmpty List<String> sha2,
        @JsonProperty("sha3") @OmitEmpty List<String> sha3,
        @JsonProperty("options") Options options) {

    Search {
        paths = copy(paths);
        contents = copy(contents);
        names = copy(names);
        sizes = copy(sizes);
        modes = copy(modes);
        mtimes = copy(mtimes);
        md5 = copy(md5);
        sha1 = copy(sha1);
        sha2 = copy(sha2);
        sha3 = copy(sha3);
        options = options == null ? Options.ZERO : options;
    }

    /** The values of one filter, never null. */
    List<String> values(Filter filter) {
        List<String> v = switch (filter) {
            case CONTENT -> contents;
            case NAME -> names;
            case SIZE -> sizes;
            case MODE -> modes;
            case MTIME -> mtimes;
            case MD5 -> md5;
            case SHA1 -> sha1;
            case SHA2 -> sha2;
            case SHA3 -> sha3;
        };
        return v == null ? List.of() : v;
    }

    /** The same search with other paths (the cleaned ones, or the directory of a matched file). */
    Search withPaths(List<String> newPaths) {
        return new Search(description, newPaths, contents, names, sizes, modes, mtimes, md5, sha1, sha2, sha3, options);
    }

    /** The same search with other options. */
    Search withOptions(Options newOptions) {
        return new Search(description, paths, contents, names, sizes, modes, mtimes, md5, sha1, sha2, sha3, newOptions);
    }

    /**
     * What a matchany result says about one check: only that check's value, the given paths and
     * zero options, as the original builds it.
     */
    static Search ofSingleCheck(Filter filter, String value, List<String> paths) {
        List<String> v = List.of(value);
        return new Search(
                null,
                paths,
                filter == Filter.CONTENT ? v : null,
                filter == Filter.NAME ? v : null,
                filter == Filter.SIZE ? v : null,
                filter == Filter.MODE ? v : null,
                filter == Filter.MTIME ? v : null,
                filter == Filter.MD5 ? v : null,
                filter == Filter.SHA1 ? v : null,
                filter == Filter.SHA2 ? v : null,
                filter == Filter.SHA3 ? v : null,
                Options.ZERO);
    }

    private static List<String> copy(List<String> l) {
        return l == null ? null : List.copyOf(l);
    }
}

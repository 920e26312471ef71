package mig.modules.file;

/**
 * The kinds of check a search can hold, in the order the original builds and reports them; the
 * wire name is also what {@code options.mismatch} takes.
 */
enum Filter {
    CONTENT("content"),
    NAME("name"),
    SIZE("size"),
    MODE("mode"),
    MTIME("mtime"),
    MD5("md5"),
    SHA1("sha1"),
    SHA2("sha2"),
    SHA3("sha3");

    private final String wireName;

    Filter(String wireName) {
        this.wireName = wireName;
    }

    /** {@code content}, {@code name}, ... as in parameters and {@code mismatch}. */
    String wireName() {
        return wireName;
    }

    /** True for the checks that need the file's bytes. */
    boolean readsContent() {
        return this == CONTENT || this == MD5 || this == SHA1 || this == SHA2 || this == SHA3;
    }
}

package mig.modules.yara;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * libyara (Debian's {@code libyara9}, YARA 4.2) through JNA: compile rules from a string, scan a
 * file, collect the names of the matching rules. Loaded on first use; when it cannot be loaded the
 * yara module says so in its result and every other module runs as usual.
 *
 * <p>The library is {@code libyara.so.9} (then {@code yara}, i.e. {@code libyara.so}) unless the
 * system property {@code mig.yara.library} or the environment variable {@code MIG_YARA_LIBRARY}
 * names another (a name or a path).
 */
final class LibYara {

    /** The C functions used, as declared in yara/compiler.h, rules.h and libyara.h (4.2). */
    interface C extends Library {
        int yr_initialize();

        int yr_compiler_create(PointerByReference compiler);

        void yr_compiler_destroy(Pointer compiler);

        int yr_compiler_add_string(Pointer compiler, byte[] rules, String namespace);

        Pointer yr_compiler_get_error_message(Pointer compiler, byte[] buffer, int size);

        int yr_compiler_get_rules(Pointer compiler, PointerByReference rules);

        int yr_rules_scan_file(
                Pointer rules, byte[] filename, int flags, ScanCallback callback, Pointer userData, int timeout);

        int yr_rules_destroy(Pointer rules);
    }

    /** YR_CALLBACK_FUNC: {@code int (*)(YR_SCAN_CONTEXT*, int message, void* data, void* user)}. */
    interface ScanCallback extends Callback {
        int invoke(Pointer context, int message, Pointer messageData, Pointer userData);
    }

    static final int CALLBACK_MSG_RULE_MATCHING = 1;
    static final int CALLBACK_CONTINUE = 0;

    /** Offset of {@code identifier} in YARA 4.2's {@code YR_RULE}: after two int32 (flags, num_atoms). */
    static final int RULE_IDENTIFIER_OFFSET = 8;

    /** The texts go-yara gave libyara's error codes (its error.go), by YARA 4.2's codes. */
    private static final Map<Integer, String> ERRORS = Map.ofEntries(
            Map.entry(1, "insufficient memory"),
            Map.entry(2, "could not attach to process"),
            Map.entry(3, "could not open file"),
            Map.entry(4, "could not map file"),
            Map.entry(6, "invalid file"),
            Map.entry(7, "corrupt file"),
            Map.entry(8, "unsupported file version"),
            Map.entry(9, "invalid regular expression"),
            Map.entry(10, "invalid hex string"),
            Map.entry(11, "syntax error"),
            Map.entry(12, "loop nesting limit exceeded"),
            Map.entry(13, "duplicated loop identifier"),
            Map.entry(14, "duplicated identifier"),
            Map.entry(15, "duplicated tag identifier"),
            Map.entry(16, "duplicated meta identifier"),
            Map.entry(17, "duplicated string identifier"),
            Map.entry(18, "unreferenced string"),
            Map.entry(19, "undefined string"),
            Map.entry(20, "undefined identifier"),
            Map.entry(21, "misplaced anonymous string"),
            Map.entry(22, "includes circular reference"),
            Map.entry(23, "include depth exceeded"),
            Map.entry(24, "wrong type"),
            Map.entry(25, "exec stack overflow"),
            Map.entry(26, "scan timeout"),
            Map.entry(27, "too many scan threads"),
            Map.entry(28, "callback error"),
            Map.entry(29, "invalid argument"),
            Map.entry(30, "too many matches"),
            Map.entry(31, "internal fatal error"),
            Map.entry(32, "nested for of loop"),
            Map.entry(33, "invalid field name"),
            Map.entry(34, "unknown module"),
            Map.entry(35, "not a structure"),
            Map.entry(36, "not indexable"),
            Map.entry(37, "not a function"),
            Map.entry(38, "invalid format"),
            Map.entry(39, "too many arguments"),
            Map.entry(40, "wrong arguments"),
            Map.entry(41, "wrong return type"),
            Map.entry(42, "duplicated structure member"));

    /** A libyara error, with go-yara's text. */
    static final class YaraException extends Exception {
        private static final long serialVersionUID = 1L;

        YaraException(String message) {
            super(message, null, false, false);
        }
    }

    /** libyara could not be loaded here. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static volatile C lib;
    private static String loadedFrom;

    private LibYara() {}

    /** The names tried, in order. */
    static List<String> candidates() {
        String configured = System.getProperty("mig.yara.library");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("MIG_YARA_LIBRARY");
        }
        if (configured != null && !configured.isBlank()) {
            return List.of(configured);
        }
        return List.of("libyara.so.9", "yara");
    }

    /** libyara, loaded and initialised once. */
    static synchronized C load() throws Unavailable {
        List<String> names = candidates();
        if (lib != null && names.contains(loadedFrom)) {
            return lib;
        }
        List<String> why = new ArrayList<>();
        for (String name : names) {
            try {
                C c = Native.load(name, C.class);
                int rc = c.yr_initialize();
                if (rc != 0) {
                    why.add(name + ": yr_initialize() failed: " + error(rc));
                    continue;
                }
                lib = c;
                loadedFrom = name;
                return c;
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                String m = String.valueOf(e.getMessage());
                int nl = m.indexOf('\n');
                why.add(name + ": " + (nl > 0 ? m.substring(0, nl) : m));
            }
        }
        throw new Unavailable(
                "yara module unavailable: libyara could not be loaded (" + String.join("; ", why)
                        + "); install libyara9 (apt-get install libyara9) or set -Dmig.yara.library"
                        + " / MIG_YARA_LIBRARY to its path",
                null);
    }

    /** go-yara's text for a libyara error code. */
    static String error(int code) {
        String s = ERRORS.get(code);
        return s != null ? s : "unknown error " + code;
    }

    /** A C string: the UTF-8 bytes up to the first NUL (as C.CString's reader sees them), NUL-terminated. */
    static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        byte[] out = new byte[n + 1];
        System.arraycopy(b, 0, out, 0, n);
        return out;
    }

    /** Compiled rules; close them once done. */
    static final class Rules implements AutoCloseable {
        private final C c;
        private Pointer rules;

        private Rules(C c, Pointer rules) {
            this.c = c;
            this.rules = rules;
        }

        /**
         * Compiles {@code text} in namespace {@code default}, as go-yara's AddString and GetRules.
         *
         * @throws YaraException with libyara's message for the rules' last error
         */
        static Rules compile(C c, String text) throws YaraException {
            PointerByReference ref = new PointerByReference();
            int rc = c.yr_compiler_create(ref);
            if (rc != 0) {
                throw new YaraException(error(rc));
            }
            Pointer compiler = ref.getValue();
            try {
                int errors = c.yr_compiler_add_string(compiler, cString(text), "default");
                if (errors > 0) {
                    byte[] buf = new byte[1024];
                    c.yr_compiler_get_error_message(compiler, buf, buf.length);
                    int n = 0;
                    while (n < buf.length && buf[n] != 0) {
                        n++;
                    }
                    throw new YaraException(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
                PointerByReference rules = new PointerByReference();
                rc = c.yr_compiler_get_rules(compiler, rules);
                if (rc != 0) {
                    throw new YaraException(error(rc));
                }
                return new Rules(c, rules.getValue());
            } finally {
                c.yr_compiler_destroy(compiler);
            }
        }

        /** The identifiers of the rules matching {@code file}, in libyara's order. */
        List<String> scanFile(String file, int timeoutSeconds) throws YaraException {
            List<String> matched = new ArrayList<>();
            ScanCallback cb = (context, message, data, user) -> {
                if (message == CALLBACK_MSG_RULE_MATCHING && data != null) {
                    Pointer id = data.getPointer(RULE_IDENTIFIER_OFFSET);
                    matched.add(id == null ? "" : id.getString(0, "UTF-8"));
                }
                return CALLBACK_CONTINUE;
            };
            int rc = c.yr_rules_scan_file(rules, cString(file), 0, cb, null, timeoutSeconds);
            java.lang.ref.Reference.reachabilityFence(cb);
            if (rc != 0) {
                throw new YaraException(error(rc));
            }
            return matched;
        }

        @Override
        public void close() {
            if (rules != null) {
                c.yr_rules_destroy(rules);
                rules = null;
            }
        }
    }
}

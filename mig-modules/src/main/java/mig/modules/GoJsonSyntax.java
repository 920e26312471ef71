package mig.modules;

/**
 * The syntax check Go's {@code encoding/json} runs before it decodes ({@code checkValid}), with its
 * messages ({@code invalid character '}' looking for beginning of value}, {@code unexpected end of
 * JSON input}), so a malformed JSON file a module's flag names is refused with the original's
 * words. Jackson's messages are not Go's, and no library writes Go's, hence this small copy of Go's
 * scanner states.
 */
public final class GoJsonSyntax {

    private final byte[] b;
    private int i;

    private GoJsonSyntax(byte[] b) {
        this.b = b;
    }

    /** Go's syntax error for {@code json}, or null when it is one valid JSON value. */
    public static String check(byte[] json) {
        GoJsonSyntax s = new GoJsonSyntax(json);
        try {
            s.space();
            s.value();
            s.space();
            if (s.i < json.length) {
                throw s.bad("after top-level value");
            }
            return null;
        } catch (Bad e) {
            return e.getMessage();
        }
    }

    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String m) {
            super(m, null, false, false);
        }
    }

    private Bad bad(String context) {
        if (i >= b.length) {
            return new Bad("unexpected end of JSON input");
        }
        return new Bad("invalid character " + quoteChar(b[i] & 0xff) + " " + context);
    }

    /** Go's {@code quoteChar}. */
    static String quoteChar(int c) {
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        String q = GoFlags.quote(new String(Character.toChars(c)));
        return "'" + q.substring(1, q.length() - 1) + "'";
    }

    private void space() {
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
    }

    private int peek() {
        return i < b.length ? b[i] & 0xff : -1;
    }

    private void value() throws Bad {
        int c = peek();
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw bad("looking for beginning of value");
                }
            }
        }
    }

    private void object() throws Bad {
        i++;
        space();
        if (peek() == '}') {
            i++;
            return;
        }
        while (true) {
            if (peek() != '"') {
                throw bad("looking for beginning of object key string");
            }
            string();
            space();
            if (peek() != ':') {
                throw bad("after object key");
            }
            i++;
            space();
            value();
            space();
            if (peek() == ',') {
                i++;
                space();
                continue;
            }
            if (peek() == '}') {
                i++;
                return;
            }
            throw bad("after object key:value pair");
        }
    }

    private void array() throws Bad {
        i++;
        space();
        if (peek() == ']') {
            i++;
            return;
        }
        while (true) {
            value();
            space();
            if (peek() == ',') {
                i++;
                space();
                continue;
            }
            if (peek() == ']') {
                i++;
                return;
            }
            throw bad("after array element");
        }
    }

    private void string() throws Bad {
        i++;
        while (true) {
            int c = peek();
            if (c == -1) {
                throw bad("in string literal");
            }
            if (c == '"') {
                i++;
                return;
            }
            if (c == '\\') {
                i++;
                int e = peek();
                if (e == 'u') {
                    i++;
                    for (int k = 0; k < 4; k++) {
                        int h = peek();
                        if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
                            throw bad("in \\u hexadecimal character escape");
                        }
                        i++;
                    }
                    continue;
                }
                if ("bfnrt\\/\"".indexOf(e) < 0 || e == -1) {
                    throw bad("in string escape code");
                }
                i++;
                continue;
            }
            if (c < 0x20) {
                throw bad("in string literal");
            }
            i++;
        }
    }

    private void literal(String word) throws Bad {
        i++;
        for (int k = 1; k < word.length(); k++) {
            if (peek() != word.charAt(k)) {
                throw bad("in literal " + word + " (expecting " + quoteChar(word.charAt(k)) + ")");
            }
            i++;
        }
    }

    private void number() throws Bad {
        if (peek() == '-') {
            i++;
            if (!(peek() >= '0' && peek() <= '9')) {
                throw bad("in numeric literal");
            }
        }
        if (peek() == '0') {
            i++;
        } else {
            while (peek() >= '0' && peek() <= '9') {
                i++;
            }
        }
        if (peek() == '.') {
            i++;
            if (!(peek() >= '0' && peek() <= '9')) {
                throw bad("after decimal point in numeric literal");
            }
            while (peek() >= '0' && peek() <= '9') {
                i++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            i++;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            if (!(peek() >= '0' && peek() <= '9')) {
                throw bad("in exponent of numeric literal");
            }
            while (peek() >= '0' && peek() <= '9') {
                i++;
            }
        }
    }
}

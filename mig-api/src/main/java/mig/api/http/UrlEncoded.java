package mig.api.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strict decoding of {@code application/x-www-form-urlencoded} text (query strings and form bodies):
 * {@code &}-separated {@code name=value} pairs, {@code +} for space, {@code %XX} escapes, UTF-8. Go's
 * decoder silently drops what it cannot read; here a malformed escape, invalid UTF-8 or a parameter
 * given twice is refused with a message saying which.
 */
final class UrlEncoded {
    private UrlEncoded() {}

    /**
     * @param raw  the encoded text (may be null or empty)
     * @param what "query string" or "form body", for messages
     * @throws ApiException 400 when the text is malformed
     */
    static Map<String, String> parse(String raw, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return Collections.unmodifiableMap(out);
        }
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), what);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), what);
            if (out.putIfAbsent(name, value) != null) {
                throw ApiException.badRequest(
                        "parameter '" + Text.shorten(name) + "' appears more than once in the " + what);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static String decode(String s, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length()
                        || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw ApiException.badRequest("malformed " + what + ": invalid URL escape '"
                            + Text.shorten(s.substring(i, Math.min(s.length(), i + 3))) + "' (a % must be followed by"
                            + " two hex digits)");
                }
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("malformed " + what + ": a parameter is not valid UTF-8 once decoded");
        }
    }
}

package mig.standalone.badinput;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One malformed request of a corpus: its family (for the summary), what is wrong with it, the bytes
 * to send, and the status it must get ({@code 0}: any 4xx will do).
 */
record BadRequest(
        String family,
        String what,
        String method,
        String target,
        Map<String, String> headers,
        byte[] body,
        int expected) {

    static final String FORM = "application/x-www-form-urlencoded";

    BadRequest {
        headers = Map.copyOf(headers);
    }

    /** A form POST with the given content type (null: none) and raw body. */
    static BadRequest post(
            String family, String what, String path, String contentType, String token, byte[] body, int expected) {
        Map<String, String> h = new LinkedHashMap<>();
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        if (token != null) {
            h.put("X-PGPAUTHORIZATION", token);
        }
        return new BadRequest(family, what, "POST", path, h, body, expected);
    }

    /** POST {@code /api/v1/action/create/} with form field {@code action} = {@code json}. */
    static BadRequest action(String family, String what, String json, String token, int expected) {
        return post(
                family,
                what,
                "/api/v1/action/create/",
                FORM,
                token,
                ("action=" + enc(json)).getBytes(StandardCharsets.UTF_8),
                expected);
    }

    /** A GET with a token. */
    static BadRequest get(String family, String what, String target, String token, int expected) {
        return new BadRequest(
                family,
                what,
                "GET",
                target,
                token == null ? Map.of() : Map.of("X-PGPAUTHORIZATION", token),
                null,
                expected);
    }

    /** The same request with another body. */
    BadRequest withBody(String text) {
        return new BadRequest(family, what, method, target, headers, text.getBytes(StandardCharsets.UTF_8), expected);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The status is what this request must get. */
    boolean accepts(int status) {
        return expected == 0 ? status >= 400 && status < 500 : status == expected;
    }
}

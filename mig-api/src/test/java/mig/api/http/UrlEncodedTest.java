package mig.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Query strings and form bodies, decoded strictly. */
class UrlEncodedTest {

    @Test
    void decodesWhatMigClientsSend() {
        assertEquals(
                Map.of("type", "agent", "limit", "1000000", "target", "status='online'"),
                UrlEncoded.parse("type=agent&limit=1000000&target=status%3D%27online%27", "query string"));
        assertEquals(Map.of("a", "x y", "b", "", "c", "é"), UrlEncoded.parse("a=x+y&b&&c=%C3%A9", "form body"));
        assertEquals(Map.of(), UrlEncoded.parse(null, "query string"));
    }

    @Test
    void refusesWhatItCannotReadExactly() {
        assertRefused("a=%4", "invalid URL escape '%4'");
        assertRefused("a=%g1", "invalid URL escape");
        assertRefused("a=%C3", "not valid UTF-8");
        assertRefused("a=1&a=2", "parameter 'a' appears more than once");
    }

    private static void assertRefused(String raw, String part) {
        ApiException e = assertThrows(ApiException.class, () -> UrlEncoded.parse(raw, "query string"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}

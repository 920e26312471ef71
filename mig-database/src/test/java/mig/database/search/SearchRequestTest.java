package mig.database.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import mig.common.json.GoJson;
import org.junit.jupiter.api.Test;

/** Search parameters: the original's defaults, its echo, its next-page link, and strict parsing. */
class SearchRequestTest {

    static final Instant NOW = Instant.parse("2026-11-28T19:05:29.044027445Z");

    @Test
    void defaultsAreEchoedAsTheOriginalWritesThem() {
        SearchRequest r = SearchRequest.parse(
                Map.of("type", "command", "limit", "37", "offset", "37", "actionid", "28090946682984"), NOW);
        assertFalse(r.filterFoundAnything());
        // 10-search-commands-empty.json, recorded from the original (its window is centred on its own clock).
        assertEquals(
                "{\"actionid\":\"28090946682984\",\"actionname\":\"%\",\"after\":\"2022-05-23T19:05:29.044027445Z\","
                        + "\"agentid\":\"∞\",\"agentname\":\"%\",\"agentversion\":\"%\",\"before\":\"2031-06-05T19:05:29.044027445Z\","
                        + "\"commandid\":\"∞\",\"foundanything\":false,\"investigatorid\":\"∞\",\"investigatorname\":\"%\","
                        + "\"limit\":37,\"loaderid\":\"∞\",\"loadername\":\"%\",\"manifestid\":\"∞\",\"manifestname\":\"%\","
                        + "\"offset\":37,\"report\":\"\",\"status\":\"%\",\"target\":\"\",\"threatfamily\":\"%\",\"type\":\"command\"}",
                GoJson.marshal(r.parameters()));
    }

    @Test
    void theNextPageLinkIsTheOriginalsQueryString() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("type", "action");
        q.put("actionname", "file*");
        q.put("limit", "10");
        q.put("offset", "10");
        q.put("status", "completed");
        SearchParameters next = SearchRequest.parse(q, NOW).parameters().nextPage();
        assertEquals(
                "type=action&after=2022-05-23T19:05:29Z&before=2031-06-05T19:05:29Z&actionname=file%25"
                        + "&limit=10&offset=20&status=completed",
                next.toQueryString());
    }

    @Test
    void foundAnythingIsCaseInsensitiveAndRemembered() {
        SearchRequest r = SearchRequest.parse(Map.of("type", "command", "foundanything", "TRUE"), NOW);
        assertTrue(r.filterFoundAnything());
        assertTrue(r.parameters().foundAnything());
    }

    @Test
    void badValuesNameTheParameter() {
        assertRefused(Map.of("type", "everything"), "search type is invalid: 'everything'");
        assertRefused(Map.of("limit", "-1"), "invalid limit parameter '-1'");
        assertRefused(Map.of("offset", "1.5"), "invalid offset parameter '1.5'");
        assertRefused(Map.of("after", "2020-01-01"), "after date not in RFC3339 format");
        assertRefused(Map.of("actionid", "abc"), "actionid must be a number, got 'abc'");
        assertRefused(Map.of("foundanything", "yes"), "foundanything parameter must be true or false");
        assertRefused(Map.of("report", "x"), "unknown search parameter 'report'");
        assertRefused(Map.of("type", "command", "target", "id=1"), "only applies to type=agent");
    }

    private static void assertRefused(Map<String, String> q, String part) {
        SearchParameterException e = assertThrows(SearchParameterException.class, () -> SearchRequest.parse(q, NOW));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}

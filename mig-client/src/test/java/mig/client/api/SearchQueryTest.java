package mig.client.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's search terms become the original's query string, parameter for parameter. */
class SearchQueryTest {
    static final Instant NOW = Instant.parse("2026-11-28T18:58:24.65Z");

    private static SearchQuery parse(String type, String terms) {
        return SearchQuery.parse(type, List.of(terms.split(" ")), new HashSet<>(SearchQuery.KEYS), NOW);
    }

    @Test
    void writesTheOriginalsQueryStringWithWildcardsEscaped() {
        assertEquals(
                "type=command&after=2022-05-23T18:58:24Z&before=2031-06-05T18:58:24Z&actionname=%25memory%25"
                        + "&agentname=%25khazad%25&investigatorname=%25vehent%25&limit=100",
                parse("command", "agentname=%khazad% and investigatorname=*vehent* and actionname=%memory%")
                        .toQueryString());
    }

    @Test
    void nameMeansTheTypesOwnNameAndLimitAndTimesAreRead() {
        SearchQuery q = parse("agent", "name=web+ and status=online and limit=5 and after=2015-09-23T14:14:16Z");
        assertEquals(
                "type=agent&after=2015-09-23T14:14:16Z&before=2031-06-05T18:58:24Z&agentname=web%25&limit=5"
                        + "&status=online",
                q.toQueryString());
        assertEquals(
                "type=action&after=2022-05-23T18:58:24Z&before=2031-06-05T18:58:24Z&actionname=x&limit=100",
                parse("action", "name=x").toQueryString());
    }

    @Test
    void malformedTermsGetTheOriginalsMessages() {
        assertEquals(
                "Invalid `key=value` in search parameter 'status'",
                assertThrows(IllegalArgumentException.class, () -> parse("agent", "status"))
                        .getMessage());
        assertEquals(
                "Unknown search key 'color'",
                assertThrows(IllegalArgumentException.class, () -> parse("agent", "color=red"))
                        .getMessage());
        assertEquals(
                "after date not in RFC3339 format, ex: 2015-09-23T14:14:16Z",
                assertThrows(IllegalArgumentException.class, () -> parse("agent", "after=yesterday"))
                        .getMessage());
    }
}

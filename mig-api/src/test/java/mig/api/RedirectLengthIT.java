package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import mig.api.http.PathCleaning;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression of a fuzzing find (ApiRoutesFuzzIT): a path that is not clean and whose clean form
 * escapes to a long {@code Location} ({@code //} then 1,500 '(' and 1,500 ')', each written
 * {@code %28}/{@code %29}) got its 301 head, then the connection stayed open until Jetty's 30 s idle
 * timeout. Each request here must be answered and closed within the client's 10 s read timeout
 * ({@link ApiFixture#rawGet}); a Location over {@link PathCleaning#MAX_LOCATION} is a 414 instead.
 */
@ExtendWith(MigServices.class)
class RedirectLengthIT {

    @Test
    void theFuzzedPathIsAnsweredAndClosed(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            ApiFixture.Answer a = api.rawGet("/api/v1//" + "(".repeat(1500) + ")".repeat(1500) + "*comlandnd?=status");
            assertEquals(414, a.status(), a.body());
            assertTrue(a.body().startsWith("414 URI Too Long: the path is not clean"), a.body());
        }
    }

    @Test
    void redirectsUpToTheLimitAreAnsweredAndLongerOnesRefused(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            // Location = "/api/v1/" + 3 characters per '(': from well below the limit to past 8 kB
            for (int parens = 1000; parens <= 3000; parens += 97) {
                ApiFixture.Answer a = api.rawGet("/api/v1//" + "(".repeat(parens));
                int location = "/api/v1/".length() + 3 * parens;
                assertEquals(location <= PathCleaning.MAX_LOCATION ? 301 : 414, a.status(), parens + " parens");
            }
        }
    }
}

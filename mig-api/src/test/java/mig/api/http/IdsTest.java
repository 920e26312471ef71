package mig.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Ids as the original reads them (float64), and in linear time whatever the length. */
class IdsTest {

    @Test
    void numbersAreReadAsTheOriginalDoes() {
        assertEquals(12, Ids.positive("id", "12", "Action").exact().getAsLong());
        assertEquals(12, Ids.positive("id", "1.2e1", "Action").exact().getAsLong());
        assertEquals(12, Ids.positive("id", "12.", "Action").exact().getAsLong());
        assertTrue(Ids.positive("id", ".5", "Action").exact().isEmpty());
        assertTrue(Ids.positive("id", "12.5", "Action").exact().isEmpty());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> Ids.positive("id", "0", "Action"))
                        .status());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> Ids.positive("id", "1e", "Action"))
                        .status());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> Ids.positive("id", "1.2.3", "Action"))
                        .status());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> Ids.positive("id", "--1", "Action"))
                        .status());
    }

    @Test
    void aMillionDigitsAndOneLetterAreRefusedWithoutBacktracking() {
        // the greedy \d+\.?\d* tried every split of the digits: 6.7 s at 20,000 digits, hours here
        String attack = "9".repeat(1_000_000) + "x";
        ApiException e = assertTimeoutPreemptively(
                Duration.ofSeconds(120),
                () -> assertThrows(ApiException.class, () -> Ids.positive("actionid", attack, "Action")));
        assertEquals(400, e.status());
        assertTrue(
                e.getMessage().startsWith("Wrong parameters 'actionid': '999"),
                e.getMessage().substring(0, 60));
        ApiException inf = assertTimeoutPreemptively(
                Duration.ofSeconds(120),
                () -> assertThrows(
                        ApiException.class, () -> Ids.positive("actionid", "9".repeat(1_000_000), "Action")));
        assertEquals(400, inf.status());
        assertTrue(inf.getMessage().startsWith("Invalid Action ID '"), inf.getMessage());
    }
}

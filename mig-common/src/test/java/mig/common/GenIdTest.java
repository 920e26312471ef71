package mig.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class GenIdTest {

    @Test
    void firstIdIsSecondsSinceMigEpochPlusOneShiftedThenIncrements() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(GenId.MIG_EPOCH_SECONDS + 99), ZoneOffset.UTC);
        GenId ids = new GenId(clock);
        assertEquals(100L << 16, ids.nextId());
        assertEquals((100L << 16) + 1, ids.nextId());
    }

    @Test
    void idsOfTodayMatchTheRecordedMagnitudeAndFitInAFloat64() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-28T18:56:00Z"), ZoneOffset.UTC);
        long id = new GenId(clock).nextId();
        // the recorded original platform issued IDs such as 28090946682984 on that day
        assertEquals(28090946682984L / 100_000_000, id / 100_000_000);
        assertTrue(id < (1L << 53));
    }
}

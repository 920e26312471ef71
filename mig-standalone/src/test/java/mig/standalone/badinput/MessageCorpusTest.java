package mig.standalone.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import mig.common.json.GoJson;
import mig.standalone.badinput.MessageCorpus.BadMessage;
import org.junit.jupiter.api.Test;

/**
 * Why SchedulerBadInputIT once stored a "malformed" heartbeat under load: Go's time format drops
 * trailing zeros of the fraction, so the valid heartbeat's length depends on the clock, and so do
 * the places where the corpus cuts it. For some clock values a cut landed right after a whole member,
 * and "closed with }" then gave a well-formed heartbeat with fewer fields, which the scheduler
 * rightly records (the original does too: missing fields are zero values). A cut must never be
 * valid JSON, whatever the clock says.
 */
class MessageCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void noCutOfAHeartbeatIsWellFormedWhateverTheClock() throws Exception {
        Instant base = Instant.parse("2026-12-06T13:00:00Z");
        int cuts = 0;
        // Every fraction length Go can print (0 to 6 digits), at many offsets.
        for (int micros = 0; micros < 7_000; micros += 7) {
            Instant at = base.plusNanos(micros * 1_000L);
            String valid = GoJson.marshal(SchedulerBadInputIT.legacyHeartbeat("linux.newcomer" + "1".repeat(70), at));
            List<BadMessage> cut = MessageCorpus.truncated("heartbeat cut short", valid, 30);
            assertEquals(29, cut.size());
            for (BadMessage m : cut) {
                assertThrows(IOException.class, () -> JSON.readTree(m.body()), () -> "well-formed cut: " + m.what());
                cuts++;
            }
        }
        assertEquals(29 * 1000, cuts);
    }
}

package mig.common.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private int taken(RateLimiter l, String key, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (l.tryTake(key)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void theDefaultPerAddressLimitTakesAFleetOfThousandsBehindOneNatAddress() {
        // 10,000 agents behind one address, heartbeating every 5 minutes (the agent's default):
        // 2,000 a minute, spread over the period; all are taken, minute after minute.
        RateLimiter l = new RateLimiter(HeartbeatSettings.DEFAULT_PER_ADDRESS, now::get);
        for (int minute = 0; minute < 10; minute++) {
            for (int i = 0; i < 2000; i++) {
                assertTrue(l.tryTake("198.51.100.7"), "minute " + minute + " heartbeat " + i);
                now.addAndGet(30_000_000L); // 2000 evenly over a minute
            }
        }
    }

    @Test
    void aBurstPastTheLimitIsRefusedThenTheBucketRefills() {
        RateLimiter l = new RateLimiter(60, now::get);
        assertEquals(60, taken(l, "a", 200), "a full bucket, then nothing");
        assertEquals(60, taken(l, "b", 200), "each key has its own bucket");
        now.addAndGet(10_000_000_000L); // 10 s: 10 more
        assertEquals(10, taken(l, "a", 200));
        now.addAndGet(3_600_000_000_000L); // an hour: full again, not more
        assertEquals(60, taken(l, "a", 200));
    }

    @Test
    void zeroIsNoLimitAndNegativeIsRefused() {
        RateLimiter l = new RateLimiter(0, now::get);
        assertEquals(10_000, taken(l, "a", 10_000));
        assertEquals(0, l.tracked(), "no limit keeps no state");
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(-1));
    }

    @Test
    void idleKeysAreForgottenSoAFloodOfNewKeysCannotFillTheMemory() {
        RateLimiter l = new RateLimiter(10, now::get);
        for (int i = 0; i <= RateLimiter.SWEEP_AT; i++) {
            assertTrue(l.tryTake("q" + i));
        }
        now.addAndGet(60_000_000_000L); // a minute later they are all full again
        assertTrue(l.tryTake("another"));
        assertEquals(1, l.tracked());
    }

    @Test
    void settingsReadTheHeartbeatsSectionAndRefuseNonsense() {
        HeartbeatSettings d = HeartbeatSettings.from(IniConfig.parse("", "t"));
        assertEquals(HeartbeatSettings.DEFAULT, d);
        assertFalse(d.authenticated());
        HeartbeatSettings s = HeartbeatSettings.from(IniConfig.parse(
                "[heartbeats]\nperaddress = 0\nperqueueloc = 4\ntotal = 9\nsecret = \"0123456789abcdefXYZ\"\n", "t"));
        assertEquals(new HeartbeatSettings(0, 4, 9, "0123456789abcdefXYZ"), s);
        assertTrue(s.authenticated());
        assertFalse(s.toString().contains("0123456789abcdef"), "the secret stays out of logs");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> HeartbeatSettings.from(IniConfig.parse("[heartbeats]\nperqueueloc = -1\n", "t")));
        assertTrue(e.getMessage().contains("[heartbeats] perqueueloc must be 0 (no limit)"), e.getMessage());
        e = assertThrows(
                ConfigException.class,
                () -> HeartbeatSettings.from(IniConfig.parse("[heartbeats]\nsecret = short\n", "t")));
        assertTrue(e.getMessage().contains("at least 16 characters"), e.getMessage());
    }
}

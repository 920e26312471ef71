package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Operation;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17: an action signed to stay valid for ten years (usable for a replay all that time) is
 * refused, as is one dated far ahead; {@code [server] maxactionvalidity = 0} restores the original's
 * "anything goes".
 */
@ExtendWith(MigServices.class)
class ActionValidityIT {

    @Test
    void anActionValidForTenYearsIsRefusedWithA400(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

            ApiFixture.Answer tenYears = create(api, now.minusSeconds(60), now.plus(Duration.ofDays(3650)));
            assertEquals(400, tenYears.status(), tenYears.body());
            assertTrue(
                    ActionIT.message(tenYears)
                            .contains("more than 168h0m0s from now, the longest this API accepts "
                                    + "([server] maxactionvalidity)"),
                    ActionIT.message(tenYears));

            ApiFixture.Answer farAhead = create(api, now.plus(Duration.ofDays(300)), now.plus(Duration.ofDays(301)));
            assertEquals(400, farAhead.status(), "a one-day window a year ahead is as long-lived: " + farAhead.body());

            assertEquals(
                    202,
                    create(api, now.minusSeconds(60), now.plus(Duration.ofDays(6)))
                            .status());
        }
    }

    @Test
    void zeroMeansNoLimitAsInTheOriginal(TestDatabase tdb) {
        try (ApiFixture api =
                ApiFixture.start(tdb, true, Clock.systemUTC(), c -> c.withMaxActionValidity(Duration.ZERO))) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            ApiFixture.Answer tenYears = create(api, now.minusSeconds(60), now.plus(Duration.ofDays(3650)));
            assertEquals(202, tenYears.status(), tenYears.body());
        }
    }

    @Test
    void theSettingIsReadFromApiCfgAndANegativeOneIsRefused() {
        assertEquals(
                Duration.ofHours(720),
                ApiConfig.from(mig.common.config.IniConfig.parse(
                                "[server]\nport = 1664\nmaxactionvalidity = 720h\n", "api.cfg"))
                        .maxActionValidity());
        assertEquals(
                ApiConfig.DEFAULT_MAX_ACTION_VALIDITY,
                ApiConfig.from(mig.common.config.IniConfig.parse("[server]\nport = 1664\n", "api.cfg"))
                        .maxActionValidity());
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                mig.common.config.ConfigException.class,
                () -> ApiConfig.from(mig.common.config.IniConfig.parse(
                        "[server]\nport = 1664\nmaxactionvalidity = -1h\n", "api.cfg")));
        assertTrue(e.getMessage().contains("maxactionvalidity must be 0 (no limit) or positive"), e.getMessage());
    }

    private static ApiFixture.Answer create(ApiFixture api, Instant validFrom, Instant expireAfter) {
        Action a = Action.draft(
                "long",
                "status='online'",
                validFrom,
                expireAfter,
                List.of(Operation.of(
                        "file",
                        GoJson.tree("{\"searches\":{\"s1\":{\"paths\":[\"/etc\"],\"names\":[\"^hostname$\"]}}}"))));
        a = ActionSignatures.sign(a, TestKeys.alice().secretKey());
        return api.postForm(
                "/api/v1/action/create/", Map.of("action", GoJson.marshal(a)), ApiFixture.auth(TestKeys.alice()));
    }
}

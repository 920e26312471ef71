package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import mig.api.http.Access;
import mig.api.http.Route;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.common.pgp.AuthToken;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** X-PGPAUTHORIZATION tokens and permissions on every investigator route, as a client sees them. */
@ExtendWith(MigServices.class)
class AuthIT {

    @Test
    void oneTokenOfARegisteredInvestigatorIsAcceptedOnEveryRouteAgainAndAgain(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            String token = ApiFixture.token(TestKeys.alice());
            int investigatorRoutes = 0;
            for (Route r : api.server.routes()) {
                if (!(r.access() instanceof Access.Investigator)) {
                    continue;
                }
                investigatorRoutes++;
                String path = "/api/v1" + r.path();
                ApiFixture.Answer a = r.method().equals("GET")
                        ? api.get(path, AuthToken.HEADER, token)
                        : api.postForm(path, Map.of(), AuthToken.HEADER, token);
                assertNotEquals(401, a.status(), r.method() + " " + path + ": " + a.body());
                assertTrue(a.status() < 500, r.method() + " " + path + ": " + a.body());
                assertTrue(GoJson.tree(a.body()).has("collection"), a.body());
            }
            assertEquals(21, investigatorRoutes, "routes behind investigator authentication");
            assertEquals(
                    200, api.get("/api/v1/dashboard", AuthToken.HEADER, token).status(), "token reused");
        }
    }

    @Test
    void anExpiredTokenGetsTheOriginalsAnswer(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            Clock elevenMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-11));
            ApiFixture.Answer a = api.get(
                    "/api/v1/dashboard",
                    AuthToken.HEADER,
                    AuthToken.make(TestKeys.alice().secretKey(), elevenMinutesAgo));
            assertEquals(401, a.status());
            assertEquals(
                    RecordedBytesIT.withoutCode(Resources.wire("12-token-expired.json")),
                    RecordedBytesIT.withoutCode(a.body()));
            Clock elevenMinutesAhead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(11));
            assertEquals(
                    401,
                    api.get(
                                    "/api/v1/dashboard",
                                    AuthToken.HEADER,
                                    AuthToken.make(TestKeys.alice().secretKey(), elevenMinutesAhead))
                            .status());
        }
    }

    @Test
    void aTokenWithABadSignatureOrByAnUnknownKeyIsRefused(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            String token = ApiFixture.token(TestKeys.alice());
            String[] parts = token.split(";");
            String otherNonce = parts[0] + ";" + parts[1] + ";" + (Long.parseLong(parts[2]) + 1) + ";" + parts[3];
            String badSigPrefix = "Authorization verification failed with error 'verifySignedToken() -> "
                    + "GetFingerprintFromSignature() -> ";
            String recorded = GoJson.tree(Resources.wire("13-token-badsig.json"))
                    .at("/collection/error/message")
                    .asText();
            assertTrue(recorded.startsWith(badSigPrefix), recorded);

            for (String bad : new String[] {
                otherNonce, parts[0] + ";" + parts[1] + ";" + parts[2] + ";AAAA", ApiFixture.token(TestKeys.mallory())
            }) {
                ApiFixture.Answer a = api.get("/api/v1/dashboard", AuthToken.HEADER, bad);
                assertEquals(401, a.status(), bad);
                String message =
                        GoJson.tree(a.body()).at("/collection/error/message").asText();
                assertTrue(message.startsWith(badSigPrefix), message);
                assertTrue(message.endsWith("'"), message);
            }
            ApiFixture.Answer garbage = api.get("/api/v1/dashboard", AuthToken.HEADER, "garbage");
            assertEquals(401, garbage.status());
            assertTrue(garbage.body().contains("invalid token format"), garbage.body());
        }
    }

    @Test
    void anInvestigatorRegisteredElsewhereSignsInWithoutWaitingForTheKeyringToExpire(TestDatabase tdb) {
        AdjustableClock clock = new AdjustableClock();
        try (ApiFixture api = ApiFixture.start(tdb, true, clock)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            assertEquals(
                    200,
                    api.get("/api/v1/dashboard", ApiFixture.auth(TestKeys.alice()))
                            .status());
            api.register("bob", TestKeys.bob(), Permission.DEFAULT); // e.g. by another API instance
            clock.advance(Duration.ofSeconds(6));
            assertEquals(
                    200,
                    api.get("/api/v1/dashboard", ApiFixture.auth(TestKeys.bob()))
                            .status());
        }
    }

    /** The system clock, moved forward on demand. */
    static final class AdjustableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void advance(Duration d) {
            offset = offset.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.now().plus(offset);
        }
    }

    @Test
    void aRouteNeedsItsPermission(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("bob", TestKeys.bob(), Set.of(Permission.SEARCH));
            String[] auth = ApiFixture.auth(TestKeys.bob());
            ApiFixture.Answer dashboard = api.get("/api/v1/dashboard", auth);
            assertEquals(401, dashboard.status());
            assertEquals(
                    "Insufficient permissions to access endpoint",
                    GoJson.tree(dashboard.body())
                            .at("/collection/error/message")
                            .asText());
            assertEquals(
                    404,
                    api.get("/api/v1/search?type=investigator&investigatorname=nobody", auth)
                            .status());
        }
    }

    @Test
    void withAuthenticationOffEveryRequestIsTheAuthdisabledInvestigator(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            assertEquals(200, api.get("/api/v1/dashboard").status());
            ApiFixture.Answer created = api.postMultipart(
                    "/api/v1/investigator/create/",
                    Map.of("name", "first admin", "permissions", "{\"search\":true,\"investigator\":true}"),
                    Map.of());
            assertEquals(201, created.status(), created.body());
        }
    }
}

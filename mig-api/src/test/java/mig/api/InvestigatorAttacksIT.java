package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import mig.api.auth.ApiKeys;
import mig.api.http.Text;
import mig.common.Investigator;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.common.pgp.KeyGen;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17's attacks on investigator management and API keys, each as an attacker would run it:
 * an {@code investigator_create}-only user making an admin, two admins disabling each other at the
 * same moment, a 200,000-digit id, and a stream of wrong API keys.
 */
@ExtendWith(MigServices.class)
class InvestigatorAttacksIT {

    static final String ALL = InvestigatorIT.ALL_PERMISSIONS;

    @Test
    void holdingInvestigatorCreateAloneDoesNotMakeAFullAdmin(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            Set<Permission> creator = EnumSet.copyOf(Permission.DEFAULT);
            creator.add(Permission.INVESTIGATOR);
            creator.add(Permission.INVESTIGATOR_CREATE);
            long bob = api.register("bob", TestKeys.bob(), creator);
            String[] asBob = ApiFixture.auth(TestKeys.bob());

            ApiFixture.Answer admin = api.postMultipart(
                    "/api/v1/investigator/create/",
                    Map.of("name", "mallory", "permissions", ALL),
                    Map.of("publickey", TestKeys.mallory().armoredPublicKey().getBytes(StandardCharsets.UTF_8)),
                    asBob);
            assertEquals(403, admin.status(), admin.body());
            assertTrue(
                    ActionIT.message(admin).startsWith("cannot grant permissions you do not hold: "),
                    ActionIT.message(admin));
            assertTrue(ActionIT.message(admin).contains("investigator_update"), ActionIT.message(admin));
            assertTrue(
                    api.investigators
                            .byFingerprint(TestKeys.mallory().fingerprint())
                            .isEmpty(),
                    "nobody was created");

            // what bob holds, bob may give
            ApiFixture.Answer peer = api.postMultipart(
                    "/api/v1/investigator/create/",
                    Map.of("name", "mallory", "permissions", "{\"search\":true,\"investigator_create\":true}"),
                    Map.of("publickey", TestKeys.mallory().armoredPublicKey().getBytes(StandardCharsets.UTF_8)),
                    asBob);
            assertEquals(201, peer.status(), peer.body());

            // and an updater cannot raise anyone (itself included) above what it holds
            Set<Permission> updater = EnumSet.of(Permission.INVESTIGATOR, Permission.INVESTIGATOR_UPDATE);
            KeyGen.Generated carolKey = KeyGen.rsa("Carol <carol@example.net>", 2048);
            long carol = api.register("carol", carolKey, updater);
            ApiFixture.Answer raise = api.postForm(
                    "/api/v1/investigator/update/",
                    Map.of(
                            "id",
                            Long.toString(carol),
                            "permissions",
                            "{\"investigator\":true,\"investigator_update\":true,\"loader_key\":true}"),
                    ApiFixture.auth(carolKey));
            assertEquals(403, raise.status(), raise.body());
            assertEquals("cannot grant permissions you do not hold: loader_key", ActionIT.message(raise));
            assertEquals(
                    Permission.toMask(creator),
                    Permission.toMask(api.investigators
                            .get(bob)
                            .orElseThrow()
                            .permissions()
                            .toSet()));
        }
    }

    @Test
    void twoAdminsDisablingEachOtherAtOnceLeaveOneAdmin(TestDatabase tdb) throws Exception {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            long alice = api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            long bob = api.register("bob", TestKeys.bob(), EnumSet.allOf(Permission.class));
            for (int round = 0; round < 15; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                CompletableFuture<ApiFixture.Answer> byAlice = CompletableFuture.supplyAsync(() -> {
                    await(together);
                    return api.postForm(
                            "/api/v1/investigator/update/",
                            Map.of("id", Long.toString(bob), "status", "disabled"),
                            ApiFixture.auth(TestKeys.alice()));
                });
                CompletableFuture<ApiFixture.Answer> byBob = CompletableFuture.supplyAsync(() -> {
                    await(together);
                    return api.postForm(
                            "/api/v1/investigator/update/",
                            Map.of("id", Long.toString(alice), "status", "disabled"),
                            ApiFixture.auth(TestKeys.bob()));
                });
                List<Integer> codes = new ArrayList<>(
                        List.of(byAlice.get().status(), byBob.get().status()));
                long active = List.of(alice, bob).stream()
                        .map(id -> api.investigators.get(id).orElseThrow().status())
                        .filter(Investigator.STATUS_ACTIVE::equals)
                        .count();
                assertEquals(1, active, "round " + round + ": answers " + codes + " left " + active + " admins");
                // one was disabled; the other's request either came first (200) or was refused:
                // 409 (last admin) or 401 (already disabled when its token was checked)
                assertTrue(codes.contains(200), "round " + round + ": " + codes);
                // the remaining admin re-enables the other, through the API (which refreshes its keyring)
                boolean aliceLeft = Investigator.STATUS_ACTIVE.equals(
                        api.investigators.get(alice).orElseThrow().status());
                ApiFixture.Answer again = api.postForm(
                        "/api/v1/investigator/update/",
                        Map.of("id", Long.toString(aliceLeft ? bob : alice), "status", "active"),
                        ApiFixture.auth(aliceLeft ? TestKeys.alice() : TestKeys.bob()));
                assertEquals(200, again.status(), again.body());
            }
        }
    }

    @Test
    void aTwoHundredThousandDigitIdIsAnsweredWithA400(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            String digits = "1".repeat(200_000);
            // the quadratic regex needed about 6.7 s for 20,000 digits, so about 11 minutes here: the
            // generous limit only tells "answered" from "hung", on a loaded machine too
            ApiFixture.Answer notANumber = assertTimeoutPreemptively(
                    Duration.ofSeconds(120),
                    () -> api.postForm(
                            "/api/v1/investigator/update/",
                            Map.of("id", digits + "x", "status", "active"),
                            ApiFixture.auth(TestKeys.alice())));
            assertEquals(400, notANumber.status(), Text.shorten(notANumber.body()));
            assertTrue(
                    ActionIT.message(notANumber).startsWith("Wrong parameters 'id': '111"),
                    ActionIT.message(notANumber).substring(0, 100));
            ApiFixture.Answer huge = assertTimeoutPreemptively(
                    Duration.ofSeconds(120),
                    () -> api.postForm(
                            "/api/v1/investigator/update/",
                            Map.of("id", digits, "status", "active"),
                            ApiFixture.auth(TestKeys.alice())));
            assertEquals(400, huge.status(), huge.body());
        }
    }

    @Test
    void aWrongApiKeyCostsAtMostOneDerivationWhateverTheNumberOfKeys(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long id = api.investigators.create(
                        "inv" + i, null, null, Permission.toMask(Permission.DEFAULT), Instant.now());
                ApiKeys.Issued k = ApiKeys.issue();
                api.investigators.setApiKey(id, k.hash(), k.salt(), Instant.now());
                keys.add(k.key());
            }
            long before = ApiKeys.derivations();
            assertEquals(
                    401,
                    api.get("/api/v1/dashboard", "X-MIGAPIKEY", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")
                            .status());
            assertEquals(0, ApiKeys.derivations() - before, "a key whose id nobody has: no derivation");

            String sameIdWrongSecret = keys.get(7).substring(0, ApiKeys.KEY_ID_LENGTH) + "x".repeat(24);
            before = ApiKeys.derivations();
            assertEquals(
                    401,
                    api.get("/api/v1/dashboard", "X-MIGAPIKEY", sameIdWrongSecret)
                            .status());
            assertEquals(1, ApiKeys.derivations() - before, "a key with a known id: one derivation, of that key");

            before = ApiKeys.derivations();
            assertEquals(
                    200,
                    api.get("/api/v1/dashboard", "X-MIGAPIKEY", keys.get(13)).status());
            assertEquals(1, ApiKeys.derivations() - before);
        }
    }

    @Test
    void aKeyIssuedBeforeKeyIdsStillWorksAndIsResaltedOnFirstUse(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            long alice = api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            // as the original (and this API before the change) stored it: 16 random bytes of salt
            String key = "Legacy" + "k".repeat(26);
            byte[] salt = new byte[ApiKeys.SALT_LENGTH];
            new SecureRandom().nextBytes(salt);
            api.investigators.setApiKey(alice, ApiKeys.hash(key, salt, ApiKeys.HASH_LENGTH), salt, Instant.now());
            assertTrue(api.investigators
                    .activeApiKeysBySaltPrefix(ApiKeys.saltPrefix(key))
                    .isEmpty());

            assertEquals(200, api.get("/api/v1/dashboard", "X-MIGAPIKEY", key).status());
            assertEquals(
                    1,
                    api.investigators
                            .activeApiKeysBySaltPrefix(ApiKeys.saltPrefix(key))
                            .size(),
                    "re-salted with its id");
        }
        try (ApiFixture api = ApiFixture.start(tdb, true)) { // a fresh API: nothing remembered, the database asked
            long before = ApiKeys.derivations();
            assertEquals(
                    200,
                    api.get("/api/v1/dashboard", "X-MIGAPIKEY", "Legacy" + "k".repeat(26))
                            .status());
            assertEquals(1, ApiKeys.derivations() - before);
        }
    }

    @Test
    void aStreamOfWrongApiKeysIsCutOffWith429AndRetryAfter(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            long alice = api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            ApiFixture.Answer issued = api.postForm(
                    "/api/v1/investigator/update/",
                    Map.of("id", Long.toString(alice), "apikey", "active"),
                    ApiFixture.auth(TestKeys.alice()));
            String key = GoJson.tree(issued.body())
                    .at("/collection/items/0/data/0/value/apikey")
                    .asText();
            for (int i = 0; i < 10; i++) {
                String guess = key.substring(0, ApiKeys.KEY_ID_LENGTH) + String.format("%024d", i);
                assertEquals(
                        401, api.get("/api/v1/dashboard", "X-MIGAPIKEY", guess).status(), "guess " + i);
            }
            long before = ApiKeys.derivations();
            ApiFixture.Answer limited = api.get("/api/v1/dashboard", "X-MIGAPIKEY", key.substring(1) + "x");
            assertEquals(429, limited.status(), limited.body());
            long retry = Long.parseLong(limited.header("Retry-After"));
            assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
            assertTrue(
                    ActionIT.message(limited).startsWith("too many failed API key attempts from 127.0.0.1"),
                    ActionIT.message(limited));
            assertEquals(
                    429,
                    api.get("/api/v1/dashboard", "X-MIGAPIKEY", key).status(),
                    "the right key too: the guesser cannot tell");
            assertEquals(0, ApiKeys.derivations() - before, "no derivation while limited");
            assertEquals(
                    200,
                    api.get("/api/v1/dashboard", ApiFixture.auth(TestKeys.alice()))
                            .status(),
                    "signed tokens are not limited");
            assertFalse(limited.body().contains(key));
        }
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package mig.api.investigator;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import mig.api.auth.ApiKeys;
import mig.api.auth.KeyringCache;
import mig.api.collection.CollectionJson;
import mig.api.collection.Item;
import mig.api.collection.Link;
import mig.api.http.ApiException;
import mig.api.http.Call;
import mig.api.http.Form;
import mig.api.http.Ids;
import mig.api.http.Reply;
import mig.api.http.Text;
import mig.common.Investigator;
import mig.common.Permission;
import mig.common.pgp.PgpException;
import mig.common.pgp.PublicKey;
import mig.database.DatabaseException;
import mig.database.InvestigatorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Investigators: {@code GET /investigator}, {@code POST /investigator/create/} (multipart with an
 * optional armoured public key), {@code POST /investigator/update/} (status, permissions, API key)
 * and the public {@code GET /publickey/{fingerprint}}. Every change drops the API's cached keyring.
 */
public final class InvestigatorEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(InvestigatorEndpoints.class);
    private static final int MAX_NAME = 1024;

    private final InvestigatorStore investigators;
    private final KeyringCache keyring;
    private final Clock clock;

    public InvestigatorEndpoints(InvestigatorStore investigators, KeyringCache keyring, Clock clock) {
        this.investigators = investigators;
        this.keyring = keyring;
        this.clock = clock;
    }

    /** {@code GET /investigator?investigatorid=}. */
    public Reply get(Call call) {
        Investigator inv = find(Ids.positive("investigatorid", call.query().get("investigatorid"), "Investigator"));
        return Reply.of(200, new CollectionJson(call.href()).add(investigatorItem(call.baseUrl(), inv)));
    }

    /** An investigator as an item, linked to the actions they signed. */
    public static Item investigatorItem(String baseUrl, Investigator inv) {
        return Item.of(baseUrl + "/investigator?investigatorid=" + inv.id(), "investigator", inv)
                .withLinks(new Link(
                        "investigator history",
                        baseUrl + "/search?type=action&investigatorid=" + inv.id() + "&limit=100"));
    }

    /** {@code POST /investigator/create/}: {@code name}, {@code permissions}, optional {@code publickey}; 201. */
    public Reply create(Call call) {
        Form form = call.form(Set.of("name", "permissions", "publickey"));
        String name = form.field("name").orElse("");
        if (name.isEmpty()) {
            throw ApiException.badRequest("Investigator name must not be empty");
        }
        if (name.length() > MAX_NAME) {
            throw ApiException.badRequest(
                    "investigator name is too long (" + name.length() + " characters, at most " + MAX_NAME + ")");
        }
        Set<Permission> perms = Permissions.parse(
                form.require("permissions", "a JSON object such as {\"search\":true,\"action\":true}"));
        refuseGrantingWhatCallerLacks(call, perms, Set.of());
        byte[] key = form.file("publickey")
                .map(Form.Upload::content)
                .or(() -> form.field("publickey").map(s -> s.getBytes(StandardCharsets.UTF_8)))
                .orElse(null);
        String fingerprint = null;
        if (key != null) {
            if (key.length == 0) {
                throw ApiException.badRequest("Investigator Public Key must not be empty");
            }
            try {
                fingerprint =
                        PublicKey.parse(new String(key, StandardCharsets.UTF_8)).fingerprint();
            } catch (PgpException e) {
                throw ApiException.badRequest("invalid public key: " + e.getMessage()
                        + " (upload one armoured key, as 'gpg --export --armor <id>' writes it)");
            }
        }
        long id;
        try {
            id = investigators.create(name, fingerprint, key, Permission.toMask(perms), clock.instant());
        } catch (DatabaseException e) {
            if (isUniqueViolation(e)) {
                throw new ApiException(
                        409, "Investigator's PGP Fingerprint already exists in database: " + fingerprint);
            }
            throw e;
        }
        keyring.invalidate();
        LOG.info(
                "investigator '{}' (id {}, key {}) created by {}",
                Text.shorten(name),
                id,
                fingerprint,
                call.caller().logLabel());
        Investigator inv = investigators.get(id).orElseThrow();
        return Reply.of(
                201,
                new CollectionJson(call.href())
                        .add(Item.of(
                                call.baseUrl() + "/investigator?investigatorid=" + id, "Investigator ID " + id, inv)));
    }

    /**
     * {@code POST /investigator/update/}: {@code id} and at least one of {@code status}
     * (active/disabled), {@code permissions} (JSON), {@code apikey} (active: a new key, shown once in
     * the answer; disabled: removed). Everything is checked before anything is changed.
     */
    public Reply update(Call call) {
        Form form = call.form(Set.of("id", "status", "permissions", "apikey"));
        String idText = form.field("id").orElse("");
        if (idText.isEmpty()) {
            throw ApiException.badRequest("Investigator ID must not be empty");
        }
        Ids.Parsed id = Ids.positive("id", idText, "Investigator");
        Optional<String> status = form.field("status").filter(s -> !s.isEmpty());
        Optional<Set<Permission>> perms =
                form.field("permissions").filter(s -> !s.isEmpty()).map(Permissions::parse);
        Optional<String> apikey = form.field("apikey").filter(s -> !s.isEmpty());
        if (status.isEmpty() && perms.isEmpty() && apikey.isEmpty()) {
            throw ApiException.badRequest(
                    "No updates to the investigator were specified (give status, permissions " + "or apikey)");
        }
        status.ifPresent(s -> {
            if (!s.equals(Investigator.STATUS_ACTIVE) && !s.equals(Investigator.STATUS_DISABLED)) {
                throw ApiException.badRequest(
                        "Invalid investigator status '" + Text.shorten(s) + "' (active or disabled)");
            }
        });
        apikey.ifPresent(a -> {
            if (!a.equals("active") && !a.equals("disabled")) {
                throw ApiException.badRequest(
                        "Invalid value for apikey parameter '" + Text.shorten(a) + "' (active or disabled)");
            }
        });
        Investigator inv = find(id);
        perms.ifPresent(
                p -> refuseGrantingWhatCallerLacks(call, p, inv.permissions().toSet()));
        if ((status.isPresent() || perms.isPresent())
                && !investigators.updateKeepingAnAdmin(
                        inv.id(),
                        status.orElse(null),
                        perms.map(Permission::toMask).orElse(null),
                        Permission.toMask(EnumSet.of(Permission.INVESTIGATOR, Permission.INVESTIGATOR_UPDATE)),
                        clock.instant())) {
            throw new ApiException(
                    409,
                    "Failed to update investigator: 'will not remove last admin' (" + inv.name()
                            + " is the only active investigator allowed to manage investigators)");
        }
        String clearKey = "";
        if (apikey.isPresent()) {
            if (apikey.get().equals("active")) {
                ApiKeys.Issued issued = ApiKeys.issue();
                // ids are 8 random characters (62^8): a clash is unlikely, but keep them unique so a
                // request never needs more than one derivation
                while (!investigators
                        .activeApiKeysBySaltPrefix(ApiKeys.saltPrefix(issued.key()))
                        .isEmpty()) {
                    issued = ApiKeys.issue();
                }
                investigators.setApiKey(inv.id(), issued.hash(), issued.salt(), clock.instant());
                clearKey = issued.key();
            } else {
                investigators.setApiKey(inv.id(), null, null, clock.instant());
            }
        }
        keyring.invalidate();
        LOG.info(
                "investigator {} '{}' updated by {}:{}{}{}",
                inv.id(),
                Text.shorten(inv.name()),
                call.caller().logLabel(),
                status.map(s -> " status " + s).orElse(""),
                perms.map(p -> " permissions " + p).orElse(""),
                apikey.map(a -> " apikey " + a).orElse(""));
        Investigator now = investigators.get(inv.id()).orElseThrow();
        Investigator shown = clearKey.isEmpty()
                ? now
                : new Investigator(
                        now.id(),
                        now.name(),
                        now.pgpFingerprint(),
                        now.publicKey(),
                        null,
                        now.status(),
                        now.createdAt(),
                        now.lastModified(),
                        clearKey,
                        now.permissions());
        return Reply.of(
                200,
                new CollectionJson(call.href())
                        .add(Item.of(
                                call.baseUrl() + "/investigator?investigatorid=" + inv.id(),
                                "Investigator ID " + inv.id(),
                                shown)));
    }

    /** {@code GET /publickey/{pgp_fingerprint}}: the armoured key as text; 404 text when unknown. */
    public Reply publicKey(Call call) {
        String fp = call.pathParam("pgp_fingerprint");
        if (fp.isEmpty()) {
            return Reply.text(400, "No Fingerprint specified");
        }
        Optional<Investigator> inv = investigators.byFingerprint(fp);
        if (inv.isEmpty() || inv.get().publicKey() == null || inv.get().publicKey().length == 0) {
            return Reply.text(
                    404, "Invalid Fingerprint : No PublicKey found for fingerprint '" + Text.shorten(fp) + "'");
        }
        try {
            return Reply.text(
                    200,
                    PublicKey.parse(new String(inv.get().publicKey(), StandardCharsets.UTF_8))
                            .armored());
        } catch (PgpException e) {
            throw new IllegalStateException(
                    "the stored public key of investigator " + inv.get().id() + " does not parse: " + e.getMessage(),
                    e);
        }
    }

    private Investigator find(Ids.Parsed id) {
        return id.exact().stream()
                .mapToObj(investigators::get)
                .flatMap(Optional::stream)
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("Investigator ID '" + id.shown() + "' not found"));
    }

    /**
     * Only permissions the caller holds may be granted (the original let {@code investigator_create}
     * alone make a full administrator). Permissions the investigator already has may stay.
     */
    private static void refuseGrantingWhatCallerLacks(Call call, Set<Permission> wanted, Set<Permission> already) {
        Set<Permission> held = call.caller().permissions();
        List<String> lacking = wanted.stream()
                .filter(p -> !held.contains(p) && !already.contains(p))
                .map(Permission::jsonName)
                .sorted()
                .toList();
        if (!lacking.isEmpty()) {
            throw new ApiException(403, "cannot grant permissions you do not hold: " + String.join(", ", lacking));
        }
    }

    private static boolean isUniqueViolation(DatabaseException e) {
        return e.getCause() instanceof SQLException s && "23505".equals(s.getSQLState());
    }
}

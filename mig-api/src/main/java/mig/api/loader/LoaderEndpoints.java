package mig.api.loader;

import java.sql.SQLException;
import java.util.Base64;
import java.util.Set;
import mig.api.collection.CollectionJson;
import mig.api.collection.Item;
import mig.api.http.ApiException;
import mig.api.http.Call;
import mig.api.http.Form;
import mig.api.http.Ids;
import mig.api.http.Reply;
import mig.api.http.Text;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.common.manifest.ManifestContent;
import mig.common.manifest.ManifestEntry;
import mig.common.manifest.ManifestException;
import mig.common.manifest.ManifestParameters;
import mig.common.manifest.ManifestResponse;
import mig.common.target.TargetSyntaxException;
import mig.database.DatabaseException;
import mig.database.loader.LoaderStore;
import mig.database.loader.LoaderTargets;
import mig.database.loader.ManifestStore;
import mig.database.search.LoaderEntry;
import mig.database.search.ManifestRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loader entries, as the original's manifest_endpoints.go: {@code GET /loader}, {@code POST
 * /loader/new/}, {@code /loader/status/}, {@code /loader/expect/}, {@code /loader/key/} for
 * administrators, and the two routes loaders call with their {@code X-LOADERKEY}:
 * {@code POST /manifest/agent/} (the manifest for this loader) and {@code POST /manifest/fetch/}
 * (one of its files, gzip-compressed).
 *
 * <p>Stricter than the original where it answered 500 or accepted nonsense: unknown loaders are
 * 404, a status other than enabled/disabled and an expected environment that does not parse are
 * 400, a name already taken is 409, and targets are compiled, never pasted into SQL (see
 * {@link LoaderTargets}).
 */
public final class LoaderEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(LoaderEndpoints.class);
    private static final int MAX_NAME = 256;
    private static final int MAX_TARGET = 2048;
    /** The original's message for every failure to find a loader's manifest. */
    static final String NO_MANIFEST = "Unable to locate valid manifest for this loader entry";

    private final LoaderStore loaders;
    private final ManifestStore manifests;

    public LoaderEndpoints(LoaderStore loaders, ManifestStore manifests) {
        this.loaders = loaders;
        this.manifests = manifests;
    }

    /** A loader as an item. */
    public static Item item(String baseUrl, LoaderEntry l) {
        return Item.of(baseUrl + "/loader?loaderid=" + l.id(), "loader", l);
    }

    /** {@code GET /loader?loaderid=}. */
    public Reply get(Call call) {
        long id = id(Ids.positive("loaderid", call.query().get("loaderid"), "Loader"));
        return Reply.of(200, new CollectionJson(call.href()).add(item(call.baseUrl(), find(id))));
    }

    /** {@code POST /loader/status/}: {@code loaderid}, {@code status} enabled or disabled. */
    public Reply status(Call call) {
        Form form = call.form(Set.of("loaderid", "status"));
        long id = id(Ids.positive("loaderid", form.field("loaderid").orElse(null), "Loader"));
        String status = form.field("status").orElse("");
        if (!status.equals("enabled") && !status.equals("disabled")) {
            throw ApiException.badRequest("Invalid status '" + Text.shorten(status) + "', must be enabled or disabled");
        }
        if (!loaders.setEnabled(id, status.equals("enabled"))) {
            throw notFound(id);
        }
        LOG.info("loader {} {} by {}", id, status, call.caller().logLabel());
        return Reply.of(200, new CollectionJson(call.href()));
    }

    /** {@code POST /loader/expect/}: {@code loaderid}, {@code expectenv} (a target; empty for none). */
    public Reply expect(Call call) {
        Form form = call.form(Set.of("loaderid", "expectenv"));
        long id = id(Ids.positive("loaderid", form.field("loaderid").orElse(null), "Loader"));
        String expect = form.field("expectenv").orElse("");
        checkTarget("expectenv", expect, true);
        if (!loaders.setExpectedEnvironment(id, expect)) {
            throw notFound(id);
        }
        LOG.info(
                "loader {} expected environment set to '{}' by {}",
                id,
                Text.shorten(expect),
                call.caller().logLabel());
        return Reply.of(200, new CollectionJson(call.href()));
    }

    /** {@code POST /loader/key/}: {@code loaderid}; a new key, shown once in the answer. */
    public Reply key(Call call) {
        Form form = call.form(Set.of("loaderid"));
        long id = id(Ids.positive("loaderid", form.field("loaderid").orElse(null), "Loader"));
        String key = LoaderKeys.random(LoaderKeys.KEY_LENGTH);
        LoaderKeys.Hashed h = LoaderKeys.hash(key);
        if (!loaders.setKey(id, h.hash(), h.salt())) {
            throw notFound(id);
        }
        LoaderEntry l = find(id);
        LOG.info("loader {} given a new key by {}", id, call.caller().logLabel());
        return Reply.of(
                200,
                new CollectionJson(call.href())
                        .add(item(
                                call.baseUrl(),
                                new LoaderEntry(
                                        l.id(),
                                        l.name(),
                                        l.prefix(),
                                        key,
                                        l.agentName(),
                                        l.lastSeen(),
                                        l.enabled(),
                                        l.expectEnv()))));
    }

    /** {@code POST /loader/new/}: {@code loader}, a LoaderEntry as JSON (name, optional expectenv); 201 with the key. */
    public Reply create(Call call) {
        Form form = call.form(Set.of("loader"));
        String json = form.field("loader").orElse("");
        if (json.isEmpty()) {
            throw ApiException.badRequest("no loader entry specified in form");
        }
        LoaderEntry asked;
        try {
            asked = GoJson.unmarshal(json, LoaderEntry.class);
        } catch (GoJsonException e) {
            throw ApiException.badRequest("the loader entry is not valid JSON: " + e.getMessage());
        }
        String name = asked.name() == null ? "" : asked.name();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw ApiException.badRequest("loader name must have 1 to " + MAX_NAME + " characters");
        }
        if ((asked.prefix() != null && !asked.prefix().isEmpty())
                || (asked.key() != null && !asked.key().isEmpty())) {
            throw ApiException.badRequest("loader key and prefix must be unset: the API makes them");
        }
        String expect = asked.expectEnv() == null ? "" : asked.expectEnv();
        checkTarget("expectenv", expect, true);
        String key = LoaderKeys.random(LoaderKeys.KEY_LENGTH);
        LoaderKeys.Hashed h = LoaderKeys.hash(key);
        long id = 0;
        String prefix = null;
        for (int attempt = 0; attempt < 5 && prefix == null; attempt++) {
            String p = LoaderKeys.random(LoaderKeys.PREFIX_LENGTH);
            try {
                id = loaders.add(name, p, h.hash(), h.salt(), expect);
                prefix = p;
            } catch (DatabaseException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
                if (e.getMessage() != null && e.getMessage().contains("loadername")) {
                    throw new ApiException(409, "a loader named '" + Text.shorten(name) + "' already exists");
                }
            }
        }
        if (prefix == null) {
            throw new ApiException(500, "could not draw an unused loader key prefix");
        }
        LOG.info(
                "loader '{}' (id {}) created by {}",
                Text.shorten(name),
                id,
                call.caller().logLabel());
        LoaderEntry made = find(id);
        return Reply.of(
                201,
                new CollectionJson(call.href())
                        .add(item(
                                call.baseUrl(),
                                new LoaderEntry(
                                        id,
                                        name,
                                        prefix,
                                        key,
                                        made.agentName(),
                                        made.lastSeen(),
                                        made.enabled(),
                                        made.expectEnv()))));
    }

    /** {@code POST /manifest/agent/} (loader key): the newest active manifest this loader is targeted by. */
    public Reply agentManifest(Call call) {
        ManifestParameters p = parameters(call, false);
        ManifestRecord m = manifestFor(call.caller().id(), p);
        ManifestResponse r;
        try {
            java.util.List<ManifestEntry> entries = ManifestContent.entries(m.content());
            r = new ManifestResponse(
                    loaders.name(call.caller().id()).orElse(call.caller().name()),
                    entries.isEmpty() ? null : entries,
                    m.signatures() == null ? java.util.List.of() : m.signatures());
        } catch (ManifestException e) {
            throw new ApiException(500, "manifest " + m.id() + " cannot be read: " + e.getMessage());
        }
        LOG.info(
                "loader {} ({}) given manifest {}",
                call.caller().id(),
                call.caller().name(),
                m.id());
        return Reply.of(200, new CollectionJson(call.href()).add(Item.of(call.requestUri(), "manifest", r)));
    }

    /** What {@code /manifest/fetch/} sends: MIG's {@code ManifestFetchResponse}, the gzip-compressed file, base64. */
    public record FetchResponse(
            @com.fasterxml.jackson.annotation.JsonProperty("data")
            String data) {}

    /** {@code POST /manifest/fetch/} (loader key): one file of this loader's manifest. */
    public Reply fetch(Call call) {
        ManifestParameters p = parameters(call, true);
        ManifestRecord m = manifestFor(call.caller().id(), p);
        byte[] gz;
        try {
            gz = ManifestContent.object(m.content(), p.object());
        } catch (ManifestException e) {
            throw ApiException.notFound(e.getMessage());
        }
        LOG.info(
                "loader {} ({}) fetched '{}' of manifest {}",
                call.caller().id(),
                call.caller().name(),
                Text.shorten(p.object()),
                m.id());
        return Reply.of(
                200,
                new CollectionJson(call.href())
                        .add(Item.of(
                                call.requestUri(),
                                "content",
                                new FetchResponse(Base64.getEncoder().encodeToString(gz)))));
    }

    private ManifestParameters parameters(Call call, boolean fetch) {
        Form form = call.form(Set.of("parameters"));
        String json = form.field("parameters").orElse("");
        if (json.isEmpty()) {
            throw ApiException.badRequest("no manifest parameters specified in form");
        }
        ManifestParameters p;
        try {
            p = GoJson.unmarshal(json, ManifestParameters.class);
        } catch (GoJsonException e) {
            throw ApiException.badRequest("the manifest parameters are not valid JSON: " + e.getMessage());
        }
        if (fetch && (p.object() == null || p.object().isEmpty())) {
            throw ApiException.badRequest("manifest fetch with no object");
        }
        if (p.agent() == null || p.agent().name() == null || p.agent().name().isEmpty()) {
            throw ApiException.badRequest("will not update loader entry with no agent name");
        }
        if (p.agent().name().length() > MAX_TARGET
                || (p.agent().queueLoc() != null && p.agent().queueLoc().length() > MAX_TARGET)) {
            throw ApiException.badRequest("agent name or queueloc longer than " + MAX_TARGET + " characters");
        }
        return p;
    }

    /** The original's locateManifestFromLoader: record the agent, check the expected environment, pick the manifest. */
    private ManifestRecord manifestFor(long loaderId, ManifestParameters p) {
        loaders.reportedAgent(loaderId, p.agent());
        if (!loaders.expectedEnvironmentHolds(loaderId)) {
            LOG.warn("loader {}: reported environment does not satisfy its expected environment", loaderId);
            throw new ApiException(403, NO_MANIFEST + ": loader environment verification failed");
        }
        return manifests
                .activeFor(loaderId)
                .flatMap(manifests::get)
                .orElseThrow(() -> ApiException.notFound(NO_MANIFEST));
    }

    /** Refuses a target that does not parse. */
    public static void checkTarget(String field, String target, boolean emptyAllowed) {
        if (target.isEmpty()) {
            if (emptyAllowed) {
                return;
            }
            throw ApiException.badRequest(field + " must not be empty");
        }
        if (target.length() > MAX_TARGET) {
            throw ApiException.badRequest(field + " is longer than " + MAX_TARGET + " characters");
        }
        try {
            LoaderTargets.compile(target);
        } catch (TargetSyntaxException e) {
            throw ApiException.badRequest("invalid " + field + " '" + Text.shorten(target) + "': " + e.getMessage());
        }
    }

    private LoaderEntry find(long id) {
        return loaders.get(id).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("Loader ID '" + id + "' not found");
    }

    /** An id that names no row still gets a clean 404. */
    static long id(Ids.Parsed p) {
        return p.exact().orElse(-1);
    }

    static boolean isUniqueViolation(DatabaseException e) {
        return e.getCause() instanceof SQLException s && "23505".equals(s.getSQLState());
    }
}

package mig.api.manifest;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import mig.api.auth.KeyringCache;
import mig.api.collection.CollectionJson;
import mig.api.collection.Item;
import mig.api.http.ApiException;
import mig.api.http.Call;
import mig.api.http.Form;
import mig.api.http.Ids;
import mig.api.http.Reply;
import mig.api.http.Text;
import mig.api.loader.LoaderEndpoints;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.common.manifest.ManifestContent;
import mig.common.manifest.ManifestEntry;
import mig.common.manifest.ManifestException;
import mig.common.manifest.ManifestResponse;
import mig.common.pgp.InvalidSignatureException;
import mig.common.pgp.Signatures;
import mig.common.pgp.Verified;
import mig.database.InvestigatorStore;
import mig.database.loader.LoaderStore;
import mig.database.loader.ManifestStore;
import mig.database.search.ManifestRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manifests, as the original's manifest_endpoints.go: {@code GET /manifest}, {@code POST
 * /manifest/new/}, {@code /manifest/sign/}, {@code /manifest/status/} and {@code GET
 * /manifest/loaders/}. A manifest is created staged and becomes active when it holds {@code
 * [manifest] requiredsignatures} signatures by distinct investigators.
 *
 * <p>Stricter than the original, which stored any text as a signature: a signature is accepted
 * only if it verifies over the manifest's file list with the key of an active investigator, and
 * that investigator is the caller (with authentication off, whoever's key made it). Content that
 * is not a gzip-compressed tar archive with at least one file, and targets that do not parse, are
 * refused at creation.
 */
public final class ManifestEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestEndpoints.class);
    /** The original's limit on a manifest upload (20 MB). */
    public static final int MAX_MANIFEST_BODY = 20 << 20;

    private static final int MAX_NAME = 256;

    /**
     * The original console, built with Go 1.10 or later, signs wrong SHA-256 values: its loop drops
     * the bytes of the read that returns io.EOF along with them, which newer Go's tar reader does for
     * each file's last bytes (a file smaller than 4 KiB hashes as the empty string).
     */
    static final String GO_TAR_HINT = " (if it was made by the original mig-console built with Go 1.10 or later,"
            + " its SHA-256 values leave out the end of each file; see docs/original-interop.md)";

    private static final int MAX_SIGNATURE = 4096;

    private final ManifestStore manifests;
    private final LoaderStore loaders;
    private final KeyringCache keyring;
    private final int requiredSignatures;

    public ManifestEndpoints(
            ManifestStore manifests, LoaderStore loaders, KeyringCache keyring, int requiredSignatures) {
        this.manifests = manifests;
        this.loaders = loaders;
        this.keyring = keyring;
        this.requiredSignatures = requiredSignatures;
    }

    /** {@code GET /manifest?manifestid=}: the whole record, content and signatures included. */
    public Reply get(Call call) {
        ManifestRecord m = find(Ids.positive("manifestid", call.query().get("manifestid"), "Manifest"));
        return Reply.of(
                200,
                new CollectionJson(call.href())
                        .add(Item.of(call.baseUrl() + "/manifest?manifestid=" + m.id(), "manifest", m)));
    }

    /** {@code GET /manifest/loaders/?manifestid=}: the enabled loaders its target selects. */
    public Reply loaders(Call call) {
        Ids.Parsed id = Ids.positive("manifestid", call.query().get("manifestid"), "Manifest");
        ManifestRecord m = find(id);
        if (ManifestStore.DISABLED.equals(m.status())) {
            throw ApiException.notFound("No matching loaders for manifest '" + id.shown() + "'");
        }
        List<Item> items;
        try {
            items = loaders.matching(m.target()).stream()
                    .map(l -> LoaderEndpoints.item(call.baseUrl(), l))
                    .toList();
        } catch (RuntimeException e) {
            LOG.warn("selecting loaders of manifest {} failed: {}", m.id(), e.getMessage());
            throw ApiException.notFound("No matching loaders for manifest '" + id.shown() + "'");
        }
        return Reply.of(200, new CollectionJson(call.href()).addAll(items));
    }

    /** {@code POST /manifest/new/}: {@code manifest}, a ManifestRecord as JSON (name, target, content); 201. */
    public Reply create(Call call) {
        Form form = call.form(Set.of("manifest"), MAX_MANIFEST_BODY);
        String json = form.field("manifest").orElse("");
        if (json.isEmpty()) {
            throw ApiException.badRequest("no manifest record specified in form");
        }
        ManifestRecord m;
        try {
            m = GoJson.unmarshal(json, ManifestRecord.class);
        } catch (GoJsonException e) {
            throw ApiException.badRequest("the manifest record is not valid JSON: " + e.getMessage());
        }
        if (m.name() == null || m.name().isEmpty() || m.name().length() > MAX_NAME) {
            throw ApiException.badRequest("manifest has invalid name (1 to " + MAX_NAME + " characters)");
        }
        if (m.target() == null || m.target().isEmpty()) {
            throw ApiException.badRequest("manifest has invalid target");
        }
        LoaderEndpoints.checkTarget("target", m.target(), false);
        if (!List.of(ManifestStore.STAGED, ManifestStore.ACTIVE, ManifestStore.DISABLED)
                .contains(m.status() == null ? "" : m.status())) {
            throw ApiException.badRequest("manifest has invalid status");
        }
        List<ManifestEntry> entries;
        try {
            entries = ManifestContent.entries(m.content());
        } catch (ManifestException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (entries.isEmpty()) {
            throw ApiException.badRequest("manifest content holds no file");
        }
        long id = manifests.add(m.name(), m.content(), m.target());
        LOG.info(
                "manifest {} '{}' created by {} ({} files, target {})",
                id,
                Text.shorten(m.name()),
                call.caller().logLabel(),
                entries.size(),
                Text.shorten(m.target()));
        return Reply.of(201, new CollectionJson(call.href()));
    }

    /** {@code POST /manifest/sign/}: {@code manifestid}, {@code signature}; the manifest is active at k signatures. */
    public Reply sign(Call call) {
        Form form = call.form(Set.of("manifestid", "signature"));
        Ids.Parsed id = Ids.positive("manifestid", form.field("manifestid").orElse(null), "Manifest");
        String sig = form.field("signature").orElse("");
        if (sig.isEmpty()) {
            throw ApiException.badRequest("Invalid signature specified");
        }
        if (sig.length() > MAX_SIGNATURE) {
            throw ApiException.badRequest("signature longer than " + MAX_SIGNATURE + " characters");
        }
        ManifestRecord m = find(id);
        byte[] signed;
        try {
            signed = new ManifestResponse("", ManifestContent.entries(m.content()), List.of()).signedBytes();
        } catch (ManifestException e) {
            throw new ApiException(500, "manifest " + m.id() + " cannot be read: " + e.getMessage());
        }
        KeyringCache.Snapshot keys = keyring.get();
        Verified v;
        try {
            v = Signatures.verify(signed, sig, keys.keyring());
        } catch (InvalidSignatureException e) {
            throw ApiException.badRequest("the signature does not verify over manifest " + m.id()
                    + "'s file list with the key of an active investigator: " + e.getMessage()
                    + (e.reason() == InvalidSignatureException.Reason.BAD_SIGNATURE ? GO_TAR_HINT : ""));
        }
        Optional<InvestigatorStore.ActiveKey> signer = keys.investigator(v.fingerprint());
        if (signer.isEmpty()) {
            throw ApiException.badRequest("the signing key " + v.fingerprint() + " belongs to no active investigator");
        }
        long callerId = call.caller().id();
        if (callerId != 0 && callerId != signer.get().id()) {
            throw new ApiException(
                    403,
                    "the signature was made by investigator " + signer.get().id() + " ('"
                            + Text.shorten(signer.get().name()) + "'), not by the caller");
        }
        switch (manifests.addSignature(m.id(), sig, signer.get().id(), requiredSignatures)) {
            case NOT_SIGNABLE ->
                throw ApiException.badRequest("Manifest signing operation failed: manifest " + m.id() + " is disabled");
            case ALREADY_SIGNED ->
                throw new ApiException(409, "investigator " + signer.get().id() + " already signed manifest " + m.id());
            case ADDED -> {}
        }
        LOG.info(
                "manifest {} signed by investigator {} ({}), via {}",
                m.id(),
                signer.get().id(),
                v.fingerprint(),
                call.caller().logLabel());
        return Reply.of(200, new CollectionJson(call.href()));
    }

    /** {@code POST /manifest/status/}: {@code manifestid}, {@code status} staged (drops the signatures) or disabled. */
    public Reply status(Call call) {
        Form form = call.form(Set.of("manifestid", "status"));
        Ids.Parsed id = Ids.positive("manifestid", form.field("manifestid").orElse(null), "Manifest");
        String status = form.field("status").orElse("");
        ManifestRecord m = find(id);
        if (status.equals(ManifestStore.STAGED)) {
            manifests.reset(m.id(), requiredSignatures);
        } else if (status.equals(ManifestStore.DISABLED)) {
            manifests.disable(m.id());
        } else {
            throw ApiException.badRequest("Invalid status specified, must be disabled or staged");
        }
        LOG.info("manifest {} set {} by {}", m.id(), status, call.caller().logLabel());
        return Reply.of(200, new CollectionJson(call.href()));
    }

    private ManifestRecord find(Ids.Parsed id) {
        return id.exact().stream()
                .boxed()
                .map(manifests::get)
                .flatMap(Optional::stream)
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("Manifest ID '" + id.shown() + "' not found"));
    }
}

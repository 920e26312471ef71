package mig.common.acl;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import mig.common.json.GoJson;

/**
 * The agent's access control list (spec §4): per module (or {@code default}), a minimum weight and
 * the investigators whose signatures add weight. An agent runs an action only if every operation
 * reaches its module's minimum weight with the action's verified signers.
 *
 * <p>Two bugs of the original are fixed here: every operation is checked (not only the first to
 * fail or pass), and a signer adds its weight once per operation even if the ACL lists the same
 * fingerprint under several names (the original summed every matching entry).
 */
public final class Acl {

    /** The original's built-in ACL: a default entry that nobody satisfies. */
    public static final String BUILT_IN = "{\"default\":{\"minimumweight\":1,\"investigators\":{}}}";

    private final Map<String, Entry> entries;

    /** One module's rule. */
    public record Entry(int minimumWeight, Map<String, Signer> investigators) {
        public Entry {
            investigators = investigators == null ? Map.of() : Map.copyOf(investigators);
        }
    }

    /** One investigator of a rule: the primary-key fingerprint and the weight its signature adds. */
    public record Signer(String fingerprint, int weight) {
        public Signer {
            fingerprint = Objects.requireNonNullElse(fingerprint, "");
        }
    }

    private Acl(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** An ACL from its entries. */
    public static Acl of(Map<String, Entry> entries) {
        return new Acl(entries);
    }

    /**
     * Parses the JSON of {@code acl.cfg} (keys matched case-insensitively, like Go).
     *
     * @throws AclException naming what is wrong
     */
    public static Acl parse(String json) {
        Map<String, Entry> raw;
        try {
            raw = GoJson.unmarshal(json, new TypeReference<LinkedHashMap<String, Entry>>() {});
        } catch (RuntimeException e) {
            throw new AclException("invalid ACL: " + e.getMessage(), e);
        }
        if (raw == null) {
            throw new AclException("invalid ACL: the document is null");
        }
        Map<String, Entry> clean = new LinkedHashMap<>();
        raw.forEach((module, entry) -> {
            if (entry == null) {
                throw new AclException("invalid ACL: entry '" + module + "' is null");
            }
            clean.put(module, entry);
        });
        return new Acl(clean);
    }

    /** The rule for {@code module}, falling back to {@code default}. */
    public Entry entryFor(String module) {
        Entry e = entries.get(module);
        return e != null ? e : entries.get("default");
    }

    /**
     * Checks one operation's module against the verified signer fingerprints.
     *
     * @param fingerprints primary-key fingerprints of the verified signatures, in signature order
     * @throws AclException with the original's message when permission is denied
     */
    public void checkOperation(String module, List<String> fingerprints) {
        String name = module;
        Entry entry = entries.get(module);
        if (entry == null) {
            entry = entries.get("default");
            name = "default";
            if (entry == null) {
                throw new AclException("no ACL entry found for " + module + ", and no default present");
            }
        }
        if (entry.minimumWeight() < 1) {
            throw new AclException("invalid ACL " + name + ", weight must be > 0");
        }
        Set<String> seen = new LinkedHashSet<>();
        int weight = 0;
        for (String fp : fingerprints) {
            String upper = fp.toUpperCase(Locale.ROOT);
            if (!seen.add(upper)) {
                throw new AclException("permission violation: key " + fp + " used to sign multiple times");
            }
            int best = 0;
            for (Signer s : entry.investigators().values()) {
                if (s.fingerprint().toUpperCase(Locale.ROOT).equals(upper)) {
                    best = Math.max(best, s.weight());
                }
            }
            weight += best;
        }
        if (weight < entry.minimumWeight()) {
            throw new AclException("permission denied for operation " + module
                    + ", insufficient signatures weight (need " + entry.minimumWeight() + ", got " + weight + ")");
        }
    }

    /** Checks every operation's module; the first denial is thrown. */
    public void checkAll(List<String> modules, List<String> fingerprints) {
        if (fingerprints.isEmpty()) {
            throw new AclException("no valid fingerprints found");
        }
        for (String module : modules) {
            checkOperation(module, fingerprints);
        }
    }
}

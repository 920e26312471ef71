package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;
import mig.common.json.GoTime;
import mig.common.json.OmitEmpty;

/**
 * A person (or the scheduler) allowed to sign actions: MIG's {@code mig.Investigator}. The
 * fingerprint is the primary key's, 40 uppercase hex digits; the public key travels as base64 of
 * the armoured key text (Go {@code []byte}).
 */
public record Investigator(
        @JsonProperty("id") @OmitEmpty long id,
        @JsonProperty("name") String name,
        @JsonProperty("pgpfingerprint") String pgpFingerprint,
        @JsonProperty("publickey") @OmitEmpty byte[] publicKey,
        @JsonProperty("privatekey") @OmitEmpty byte[] privateKey,
        @JsonProperty("status") String status,
        @JsonProperty("createdat") Instant createdAt,
        @JsonProperty("lastmodified") Instant lastModified,
        @JsonProperty("apikey") @OmitEmpty String apiKey,
        @JsonProperty("permissions") InvestigatorPerms permissions) {

    public static final String STATUS_ACTIVE = "active";
    public static final String STATUS_DISABLED = "disabled";

    public Investigator {
        name = Objects.requireNonNullElse(name, "");
        pgpFingerprint = Objects.requireNonNullElse(pgpFingerprint, "");
        status = Objects.requireNonNullElse(status, "");
        createdAt = GoTime.orZero(createdAt);
        lastModified = GoTime.orZero(lastModified);
        apiKey = Objects.requireNonNullElse(apiKey, "");
        permissions = Objects.requireNonNullElse(permissions, InvestigatorPerms.fromMask(0));
    }

    /** The same investigator without key material, as it is embedded in actions. */
    public Investigator withoutKeys() {
        return new Investigator(
                id, name, pgpFingerprint, null, null, status, createdAt, lastModified, apiKey, permissions);
    }
}

package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import mig.common.json.GoTime;
import mig.common.json.OmitEmpty;

/**
 * An investigation as investigators sign it and the platform stores it: MIG's {@code mig.Action},
 * field for field, in Go's field order and with Go's omit-empty rules.
 *
 * <p>{@code null} strings, records and times from incoming JSON become Go's zero values, so code
 * never has to null-check them; {@code operations} and {@code pgpsignatures} keep {@code null}
 * because Go writes a nil slice as {@code null} and an empty one as {@code []}.
 */
public record Action(
        @JsonProperty("id") long id,
        @JsonProperty("name") String name,
        @JsonProperty("target") String target,
        @JsonProperty("description") Description description,
        @JsonProperty("threat") Threat threat,
        @JsonProperty("validfrom") Instant validFrom,
        @JsonProperty("expireafter") Instant expireAfter,
        @JsonProperty("operations") List<Operation> operations,
        @JsonProperty("pgpsignatures") List<String> pgpSignatures,
        @JsonProperty("investigators") @OmitEmpty List<Investigator> investigators,
        @JsonProperty("status") @OmitEmpty String status,
        @JsonProperty("starttime") Instant startTime,
        @JsonProperty("finishtime") Instant finishTime,
        @JsonProperty("lastupdatetime") Instant lastUpdateTime,
        @JsonProperty("counters") ActionCounters counters,
        @JsonProperty("syntaxversion") @OmitEmpty int syntaxVersion) {

    /** The only action syntax version MIG accepts. */
    public static final int SYNTAX_VERSION = 2;

    /** Action statuses, as the scheduler writes them in the database. */
    public static final String STATUS_PENDING = "pending";

    public static final String STATUS_SCHEDULED = "scheduled";
    public static final String STATUS_PREPARING = "preparing";
    public static final String STATUS_INFLIGHT = "inflight";
    public static final String STATUS_COMPLETED = "completed";
    public static final String STATUS_INVALID = "invalid";

    /** Go's zero {@code Action}. */
    public static final Action EMPTY =
            new Action(0, "", "", null, null, null, null, null, null, null, "", null, null, null, null, 0);

    public Action {
        name = Objects.requireNonNullElse(name, "");
        target = Objects.requireNonNullElse(target, "");
        description = Objects.requireNonNullElse(description, Description.EMPTY);
        threat = Objects.requireNonNullElse(threat, Threat.EMPTY);
        validFrom = GoTime.orZero(validFrom);
        expireAfter = GoTime.orZero(expireAfter);
        operations = operations == null ? null : List.copyOf(operations);
        pgpSignatures = pgpSignatures == null ? null : List.copyOf(pgpSignatures);
        investigators = investigators == null ? null : List.copyOf(investigators);
        status = Objects.requireNonNullElse(status, "");
        startTime = GoTime.orZero(startTime);
        finishTime = GoTime.orZero(finishTime);
        lastUpdateTime = GoTime.orZero(lastUpdateTime);
        counters = Objects.requireNonNullElse(counters, ActionCounters.EMPTY);
    }

    /**
     * The string investigators sign (spec §3.1), byte for byte as the original builds it, including
     * the frozen {@code %!s(int64=...)} artefact around {@code expireafter}. Parameters are written
     * as Go writes generic values: keys sorted, numbers as float64.
     */
    public String canonicalString() {
        return "name=" + name + ";target=" + target + ";validfrom=" + validFrom.getEpochSecond()
                + ";expireafter=%!s(int64=" + expireAfter.getEpochSecond() + ");operations="
                + mig.common.json.GoJson.marshal(operations) + ";";
    }

    /**
     * The checks of the original's {@code Validate()}, used by the API and the agent: a name, a
     * target, syntax version 2, validfrom not after expireafter, not expired at {@code now},
     * operations present, at least one signature.
     *
     * @throws InvalidActionException with the original's message for the first failed check
     */
    public void validate(Instant now) {
        if (name.isEmpty()) {
            throw new InvalidActionException("action name is empty");
        }
        if (target.isEmpty()) {
            throw new InvalidActionException("action target is empty");
        }
        if (syntaxVersion != SYNTAX_VERSION) {
            throw new InvalidActionException("wrong syntax version, expected " + SYNTAX_VERSION);
        }
        if (validFrom.isAfter(expireAfter)) {
            throw new InvalidActionException("action expireafter is set before action validfrom");
        }
        if (now.isAfter(expireAfter)) {
            throw new InvalidActionException("action expireafter is in the past");
        }
        if (operations == null) {
            throw new InvalidActionException("action operations is empty");
        }
        if (pgpSignatures == null || pgpSignatures.isEmpty()) {
            throw new InvalidActionException("action pgpsignatures is empty");
        }
    }

    /** A new unsigned action as a client builds it: syntax version 2, no signatures yet. */
    public static Action draft(
            String name, String target, Instant validFrom, Instant expireAfter, List<Operation> operations) {
        return new Action(
                0,
                name,
                target,
                Description.EMPTY,
                Threat.EMPTY,
                validFrom,
                expireAfter,
                operations,
                List.of(),
                null,
                "",
                null,
                null,
                null,
                ActionCounters.EMPTY,
                SYNTAX_VERSION);
    }

    /** The same action with {@code signature} appended to its signatures. */
    public Action withSignature(String signature) {
        List<String> sigs = new java.util.ArrayList<>(pgpSignatures == null ? List.of() : pgpSignatures);
        sigs.add(signature);
        return new Action(
                id,
                name,
                target,
                description,
                threat,
                validFrom,
                expireAfter,
                operations,
                sigs,
                investigators,
                status,
                startTime,
                finishTime,
                lastUpdateTime,
                counters,
                syntaxVersion);
    }

    /** The same action with exactly these signatures. */
    public Action withSignatures(List<String> signatures) {
        return new Action(
                id,
                name,
                target,
                description,
                threat,
                validFrom,
                expireAfter,
                operations,
                signatures,
                investigators,
                status,
                startTime,
                finishTime,
                lastUpdateTime,
                counters,
                syntaxVersion);
    }

    /** The same action with another id. */
    public Action withId(long newId) {
        return new Action(
                newId,
                name,
                target,
                description,
                threat,
                validFrom,
                expireAfter,
                operations,
                pgpSignatures,
                investigators,
                status,
                startTime,
                finishTime,
                lastUpdateTime,
                counters,
                syntaxVersion);
    }

    /** The same action with another name and target (what the client and the console edit). */
    public Action withNameAndTarget(String newName, String newTarget) {
        return new Action(
                id,
                newName,
                newTarget,
                description,
                threat,
                validFrom,
                expireAfter,
                operations,
                pgpSignatures,
                investigators,
                status,
                startTime,
                finishTime,
                lastUpdateTime,
                counters,
                syntaxVersion);
    }

    /** The same action with another status. */
    public Action withStatus(String newStatus) {
        return new Action(
                id,
                name,
                target,
                description,
                threat,
                validFrom,
                expireAfter,
                operations,
                pgpSignatures,
                investigators,
                newStatus,
                startTime,
                finishTime,
                lastUpdateTime,
                counters,
                syntaxVersion);
    }

    /** The same action with its validity window moved. */
    public Action withTimes(Instant newValidFrom, Instant newExpireAfter) {
        return new Action(
                id,
                name,
                target,
                description,
                threat,
                newValidFrom,
                newExpireAfter,
                operations,
                pgpSignatures,
                investigators,
                status,
                startTime,
                finishTime,
                lastUpdateTime,
                counters,
                syntaxVersion);
    }

    /** The same action with other operations (their signatures no longer hold). */
    public Action withOperations(List<Operation> newOperations) {
        return new Action(
                id,
                name,
                target,
                description,
                threat,
                validFrom,
                expireAfter,
                newOperations,
                pgpSignatures,
                investigators,
                status,
                startTime,
                finishTime,
                lastUpdateTime,
                counters,
                syntaxVersion);
    }

    /** The same action with the fields the API and scheduler fill in after submission. */
    public Action withProgress(
            String newStatus,
            Instant newStart,
            Instant newFinish,
            Instant newLastUpdate,
            ActionCounters newCounters,
            List<Investigator> newInvestigators) {
        return new Action(
                id,
                name,
                target,
                description,
                threat,
                validFrom,
                expireAfter,
                operations,
                pgpSignatures,
                newInvestigators,
                newStatus,
                newStart,
                newFinish,
                newLastUpdate,
                newCounters,
                syntaxVersion);
    }
}

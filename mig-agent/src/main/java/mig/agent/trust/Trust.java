package mig.agent.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.ActionSignatures.ActionSignatureException;
import mig.common.InvalidActionException;
import mig.common.Operation;
import mig.common.acl.Acl;
import mig.common.acl.AclException;
import mig.common.config.ConfigException;
import mig.common.pgp.Keyring;
import mig.common.pgp.PgpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent trusts: the investigators' public keys, the ACL that weighs their signatures, and
 * whether the ACL is skipped ({@code onlyverifypubkey}). Nothing runs unless {@link #authorize}
 * accepts the action, whatever the scheduler or API say.
 *
 * <p>The checks run in the original's order (spec §4): {@code Validate()}, validfrom not in the
 * future, every signature verified against the keyring, then the ACL for every operation. A refusal
 * carries the original's error text, prefix included, because that text is what investigators see
 * in the command's results.
 *
 * @param keyring          keys whose signatures are believed; the original's {@code PUBLICPGPKEYS}
 * @param acl              the original's {@code AGENTACL}
 * @param onlyVerifyPubKey skip the ACL (signatures are still verified)
 */
public record Trust(Keyring keyring, Acl acl, boolean onlyVerifyPubKey) {

    private static final Logger LOG = LoggerFactory.getLogger(Trust.class);

    /** The error prefix of the original's {@code parseCommands} / {@code checkActionAuthorization} chain. */
    static final String PREFIX = "parseCommands() -> checkActionAuthorization() -> ";

    public Trust {
        Objects.requireNonNull(keyring, "keyring");
        Objects.requireNonNull(acl, "acl");
    }

    /**
     * The original's start-up rule: the ACL from {@code aclFile} if it can be read, else the
     * built-in one (nobody may run anything); the keyring from every key file in {@code keysDir}
     * if that folder exists (invalid files skipped with a warning), else an empty keyring.
     *
     * @throws ConfigException if the ACL file exists but is not a valid ACL, or the key folder
     *                         cannot be listed
     */
    public static Trust load(Path aclFile, Path keysDir, boolean onlyVerifyPubKey) {
        Acl acl;
        if (Files.isReadable(aclFile)) {
            try {
                acl = Acl.parse(Files.readString(aclFile, StandardCharsets.UTF_8));
            } catch (IOException | AclException e) {
                throw new ConfigException("cannot use ACL " + aclFile + ": " + e.getMessage(), e);
            }
            LOG.info("loading acls from {}", aclFile);
        } else {
            LOG.info("unable to read acl configuration {}; agent built-in acl will be used (nobody may run "
                    + "anything)", aclFile);
            acl = Acl.parse(Acl.BUILT_IN);
        }
        Keyring keyring;
        if (Files.isDirectory(keysDir)) {
            try {
                keyring = Keyring.fromDirectory(keysDir);
            } catch (PgpException e) {
                throw new ConfigException("cannot load investigator keys: " + e.getMessage(), e);
            }
        } else {
            LOG.info("key directory {} not found, continuing with built-in keyring (empty)", keysDir);
            keyring = Keyring.empty();
        }
        if (keyring.isEmpty()) {
            LOG.warn("no investigator key is trusted: every action will be refused");
        }
        return new Trust(keyring, acl, onlyVerifyPubKey);
    }

    /**
     * Decides whether this agent may run {@code action} at {@code now}.
     *
     * @return the signers' primary-key fingerprints, in signature order
     * @throws RefusedActionException with the original's error text
     */
    public List<String> authorize(Action action, Instant now) throws RefusedActionException {
        try {
            action.validate(now);
        } catch (InvalidActionException e) {
            throw new RefusedActionException(PREFIX + "action validation failed: " + e.getMessage());
        }
        if (now.isBefore(action.validFrom())) {
            throw new RefusedActionException(PREFIX + "Action ValidFrom date is in the future");
        }
        List<String> fingerprints;
        try {
            fingerprints = ActionSignatures.verify(action, keyring);
        } catch (ActionSignatureException e) {
            throw new RefusedActionException(PREFIX + "action ACL verification failed: "
                    + "failed to retrieve fingerprint from signatures: " + e.getMessage());
        }
        if (onlyVerifyPubKey) {
            return fingerprints;
        }
        try {
            acl.checkAll(action.operations().stream().map(Operation::module).toList(), fingerprints);
        } catch (AclException e) {
            throw new RefusedActionException(PREFIX + "action ACL verification failed: " + e.getMessage());
        }
        return fingerprints;
    }
}

package mig.agent.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import mig.agent.build.AgentBuild;
import mig.agent.config.AgentConfig;
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
     * The trust of an agent started with {@code config}. A packaged agent obeys its compiled-in ACL
     * and keys, and {@code acl.cfg} and {@code agentkeys/} in the configuration folder are ignored
     * (with a warning when they exist), unless its build says {@code trustfromdisk}: then files on
     * disk replace the compiled-in values, as in the original. An agent without a build (run from
     * the development tree) reads the files, as the original with empty built-ins did.
     *
     * @throws ConfigException as {@link #load}
     */
    public static Trust forAgent(Optional<AgentBuild> build, AgentConfig config) {
        if (build.isEmpty()) {
            return load(config.aclFile(), config.keysDir(), config.onlyVerifyPubKey());
        }
        AgentBuild b = build.get();
        if (b.trustFromDisk()) {
            LOG.info(
                    "build {} lets {} and {} replace its compiled-in ACL and {} key(s)",
                    b.name(),
                    config.aclFile(),
                    config.keysDir(),
                    b.keyring().size());
            return load(config.aclFile(), config.keysDir(), config.onlyVerifyPubKey(), b.acl(), b.keyring());
        }
        for (Path ignored : List.of(config.aclFile(), config.keysDir())) {
            if (Files.exists(ignored)) {
                LOG.warn(
                        "ignoring {}: this agent (build {}) obeys only its compiled-in ACL and keys",
                        ignored,
                        b.name());
            }
        }
        LOG.info(
                "trusting the compiled-in ACL and {} key(s) of build {} (sha256 {})",
                b.keyring().size(),
                b.name(),
                b.sha256());
        return new Trust(b.keyring(), b.acl(), config.onlyVerifyPubKey());
    }

    /**
     * The original's start-up rule with empty built-ins: nobody may run anything unless files say
     * otherwise.
     *
     * @see #load(Path, Path, boolean, Acl, Keyring)
     */
    public static Trust load(Path aclFile, Path keysDir, boolean onlyVerifyPubKey) {
        return load(aclFile, keysDir, onlyVerifyPubKey, Acl.parse(Acl.BUILT_IN), Keyring.empty());
    }

    /**
     * The original's start-up rule: the ACL from {@code aclFile} if it can be read, else
     * {@code builtInAcl}; the keyring from every key file in {@code keysDir} if that folder exists
     * (invalid files skipped with a warning), else {@code builtInKeys}.
     *
     * @throws ConfigException if the ACL file exists but is not a valid ACL, or the key folder
     *                         cannot be listed
     */
    public static Trust load(
            Path aclFile, Path keysDir, boolean onlyVerifyPubKey, Acl builtInAcl, Keyring builtInKeys) {
        Acl acl;
        if (Files.isReadable(aclFile)) {
            try {
                acl = Acl.parse(Files.readString(aclFile, StandardCharsets.UTF_8));
            } catch (IOException | AclException e) {
                throw new ConfigException("cannot use ACL " + aclFile + ": " + e.getMessage(), e);
            }
            LOG.info("loading acls from {}", aclFile);
        } else {
            LOG.info("unable to read acl configuration {}; agent built-in acl will be used", aclFile);
            acl = builtInAcl;
        }
        Keyring keyring;
        if (Files.isDirectory(keysDir)) {
            try {
                keyring = Keyring.fromDirectory(keysDir);
            } catch (PgpException e) {
                throw new ConfigException("cannot load investigator keys: " + e.getMessage(), e);
            }
        } else {
            LOG.info(
                    "key directory {} not found, continuing with built-in keyring ({} key(s))",
                    keysDir,
                    builtInKeys.size());
            keyring = builtInKeys;
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

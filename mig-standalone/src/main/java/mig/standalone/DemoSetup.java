package mig.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import mig.common.Permission;
import mig.common.pgp.KeyGen;
import mig.common.pgp.PgpException;
import mig.common.pgp.PublicKey;
import mig.common.pgp.SecretKey;
import mig.database.InvestigatorStore;

/**
 * What the original's demo container set up on first run, kept in the demo folder so a second
 * start reuses it: an investigator key pair (GnuPG 1 {@code secring.gpg}/{@code pubring.gpg}, as
 * the original client reads them), the agent's trust (its key in {@code agent/agentkeys/} and an
 * {@code agent/acl.cfg} giving it weight 1), the investigator registered with admin, loader and
 * manifest rights, and a migrc with the macro {@code all}.
 */
final class DemoSetup {

    static final String NAME = "MIG Demo Investigator";
    static final String MIGRC_MARKER = "; written by mig-standalone";

    private final Path dir;

    DemoSetup(Path dir) {
        this.dir = dir;
    }

    Path investigatorHome() {
        return dir.resolve("investigator");
    }

    Path agentConfDir() {
        return dir.resolve("agent");
    }

    Path aclFile() {
        return agentConfDir().resolve("acl.cfg");
    }

    Path agentKeysDir() {
        return agentConfDir().resolve("agentkeys");
    }

    /** The investigator's key: made on first start, read back afterwards. */
    SecretKey investigatorKey() throws IOException, PgpException {
        Path home = investigatorHome();
        Path secring = home.resolve("secring.gpg");
        if (Files.isRegularFile(secring)) {
            return SecretKey.fromSecring(secring, null, null);
        }
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        KeyGen.Generated key = KeyGen.rsa(NAME + " <investigator@mig.demo>", 2048);
        Files.write(secring, key.secring());
        Files.setPosixFilePermissions(secring, PosixFilePermissions.fromString("rw-------"));
        Files.write(home.resolve("pubring.gpg"), key.secretKey().publicKey().encoded());
        Files.writeString(home.resolve("investigator.asc"), key.armoredPublicKey());
        return key.secretKey();
    }

    /** The agent trusts the investigator: its key in agentkeys/ and weight 1 in acl.cfg. */
    void writeAgentTrust(SecretKey investigator) throws IOException {
        Files.createDirectories(agentKeysDir());
        Files.writeString(
                agentKeysDir().resolve("investigator.asc"),
                investigator.publicKey().armored());
        // an ACL that already trusts the demo investigator is kept, with whomever else the user
        // added (a second investigator, quickstart.md); otherwise it is (re)written for the demo key
        if (Files.isRegularFile(aclFile()) && Files.readString(aclFile()).contains(investigator.fingerprint())) {
            return;
        }
        Files.writeString(
                aclFile(),
                "{\"default\": {\"minimumweight\": 1, \"investigators\": {\"" + NAME + "\": {\"fingerprint\": \""
                        + investigator.fingerprint() + "\", \"weight\": 1}}}}\n");
    }

    /** Registers the investigator unless it already is (admin, loader and manifest rights, as the original demo). */
    void register(InvestigatorStore investigators, PublicKey key) {
        if (investigators.byFingerprint(key.fingerprint()).isPresent()) {
            return;
        }
        Set<Permission> perms = EnumSet.copyOf(Permission.DEFAULT);
        perms.addAll(Permission.ADMIN);
        perms.addAll(Permission.LOADER_SET);
        perms.addAll(Permission.MANIFEST_SET);
        investigators.create(
                NAME,
                key.fingerprint(),
                key.armored().getBytes(StandardCharsets.UTF_8),
                Permission.toMask(perms),
                Instant.now());
    }

    /**
     * Writes the migrc: {@code ~/.migrc} when there is none (or it is ours from an earlier start),
     * else {@code <demo dir>/migrc}.
     *
     * @return where it was written
     */
    Path writeMigrc(Path userMigrc, int apiPort, String fingerprint) throws IOException {
        String text = MIGRC_MARKER + " (" + Instant.now() + "); delete it freely\n"
                + "[api]\n    url = \"http://localhost:" + apiPort + "/api/v1/\"\n"
                + "[gpg]\n    home = \"" + investigatorHome() + "\"\n    keyid = \"" + fingerprint + "\"\n"
                + "[targets]\n    macro = all:status='online'\n    macro = allonline:status='online'\n";
        Path target = userMigrc;
        if (Files.exists(userMigrc) && !Files.readString(userMigrc).startsWith(MIGRC_MARKER)) {
            target = dir.resolve("migrc");
        }
        Files.writeString(target, text);
        return target;
    }
}

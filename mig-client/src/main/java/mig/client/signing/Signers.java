package mig.client.signing;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import mig.client.config.MigRc;
import mig.common.config.ConfigException;
import mig.common.pgp.PgpException;
import mig.common.pgp.SecretKey;

/**
 * Picks the investigator's {@link Signer} from the migrc, in this order: {@code [gpg] usegpg = on}
 * (the user's gpg), {@code [gpg] secretkey} (an armoured file), else {@code secring.gpg} in
 * {@code [gpg] home} (default {@code $GNUPGHOME} or {@code ~/.gnupg}) selected by {@code keyid}, the
 * original's only way.
 *
 * <p>A passphrase comes from {@code MIGPGPPASSPHRASE} (the original's variable); failing that, and
 * only when a person is at the terminal, it is asked for, up to three times.
 */
public final class Signers {

    private Signers() {}

    /**
     * @throws ConfigException saying what to fix in the migrc, or why the key cannot be used
     */
    public static Signer fromMigrc(MigRc rc) {
        return fromMigrc(rc, Optional.empty());
    }

    /**
     * As {@link #fromMigrc(MigRc)}, with a passphrase from the caller's configuration (mig-runner's
     * {@code [client] passphrase}) taking the place of {@code MIGPGPPASSPHRASE} when present.
     */
    public static Signer fromMigrc(MigRc rc, Optional<String> configured) {
        Optional<String> pass = configured
                .filter(s -> !s.isEmpty())
                .or(() -> Optional.ofNullable(System.getenv("MIGPGPPASSPHRASE")).filter(s -> !s.isEmpty()));
        if (rc.useGpg()) {
            if (rc.keyId().isBlank()) {
                throw new ConfigException(rc.source() + ": [gpg] usegpg needs [gpg] keyid, the fingerprint of your"
                        + " signing key (see 'gpg --list-secret-keys --with-colons')");
            }
            String gpg = Optional.ofNullable(System.getenv("MIG_GPG"))
                    .filter(s -> !s.isBlank())
                    .orElse("gpg");
            return new GpgSigner(gpg, rc.gpgHome(), rc.keyId(), pass);
        }
        String keyId = rc.keyId().isBlank() ? null : rc.keyId();
        if (rc.secretKeyFile().isPresent()) {
            Path file = rc.secretKeyFile().get();
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new ConfigException("cannot read [gpg] secretkey " + file + ": " + e.getMessage(), e);
            }
            return new KeySigner(
                    unlock(rc, file.toString(), p -> SecretKey.fromArmored(text, keyId, p), pass), file.toString());
        }
        if (keyId == null) {
            throw new ConfigException(rc.source() + ": [gpg] keyid is not set; it must be the fingerprint of your"
                    + " signing key (or set [gpg] usegpg = on, or [gpg] secretkey to an armoured key file)");
        }
        Path home = rc.gpgHomeOrDefault();
        return new KeySigner(
                unlock(rc, home + "/secring.gpg", p -> SecretKey.fromGpgHome(home, keyId, p), pass),
                home.resolve("secring.gpg").toString());
    }

    /** Loads one secret key, which may need a passphrase. */
    @FunctionalInterface
    interface KeyLoader {
        SecretKey load(char[] passphrase) throws PgpException;
    }

    private static SecretKey unlock(MigRc rc, String where, KeyLoader loader, Optional<String> pass) {
        char[] passphrase = pass.map(String::toCharArray).orElse(null);
        Console console = System.console();
        for (int attempt = 1; ; attempt++) {
            try {
                return loader.load(passphrase);
            } catch (PgpException e) {
                boolean locked = e.getMessage() != null
                        && (e.getMessage().contains("passphrase-protected")
                                || e.getMessage().startsWith("wrong passphrase"));
                if (locked && pass.isEmpty() && console != null && attempt <= 3) {
                    passphrase = console.readPassword("Enter passphrase for the MIG signing key in %s: ", where);
                    if (passphrase != null) {
                        continue;
                    }
                }
                String hint = locked && pass.isEmpty() ? " (set MIGPGPPASSPHRASE, or run from a terminal)" : "";
                throw new ConfigException(
                        "cannot use the signing key of " + rc.source() + ": " + e.getMessage() + hint, e);
            }
        }
    }
}

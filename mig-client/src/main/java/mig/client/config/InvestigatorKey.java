package mig.client.config;

import java.io.IOException;
import java.nio.file.Files;
import mig.common.config.ConfigException;
import mig.common.pgp.PgpException;
import mig.common.pgp.SecretKey;

/**
 * Loads the investigator's signing key named by the migrc: {@code [gpg] secretkey} (an armoured
 * export) if set, else {@code secring.gpg} in {@code [gpg] home} selected by {@code keyid}, as the
 * original client does. {@code MIGPGPPASSPHRASE} supplies the passphrase of a protected key.
 */
public final class InvestigatorKey {

    private InvestigatorKey() {
    }

    /**
     * @throws ConfigException saying what to fix in the migrc, or why the key cannot be used
     */
    public static SecretKey load(MigRc rc) {
        String pass = System.getenv("MIGPGPPASSPHRASE");
        char[] passphrase = pass == null ? null : pass.toCharArray();
        String keyId = rc.keyId().isBlank() ? null : rc.keyId();
        try {
            if (rc.secretKeyFile().isPresent()) {
                return SecretKey.fromArmored(Files.readString(rc.secretKeyFile().get()), keyId, passphrase);
            }
            if (rc.gpgHome().isEmpty()) {
                throw new ConfigException(rc.source() + ": [gpg] home is not set; it must name the folder that "
                        + "holds secring.gpg (or set [gpg] secretkey to an armoured secret key file)");
            }
            if (keyId == null) {
                throw new ConfigException(rc.source() + ": [gpg] keyid is not set; it must be the fingerprint of "
                        + "your signing key");
            }
            return SecretKey.fromGpgHome(rc.gpgHome().get(), keyId, passphrase);
        } catch (PgpException e) {
            throw new ConfigException("cannot use the signing key of " + rc.source() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + rc.secretKeyFile().get() + ": " + e.getMessage(), e);
        }
    }
}

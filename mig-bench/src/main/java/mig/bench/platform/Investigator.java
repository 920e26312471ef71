package mig.bench.platform;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import mig.agent.trust.Trust;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Permission;
import mig.common.acl.Acl;
import mig.common.pgp.AuthToken;
import mig.common.pgp.KeyGen;
import mig.common.pgp.Keyring;
import mig.database.InvestigatorStore;
import mig.database.MigDatabase;

/**
 * An investigator of a bench or fault run: a PGP key, the agents' {@link Trust} in it (keyring and
 * an ACL that gives it weight 1, the minimum), its registration with the API's database, API tokens
 * and action signatures. RSA-2048, as the original's investigators use.
 */
public final class Investigator {

    private final String name;
    private final KeyGen.Generated key;

    private Investigator(String name, KeyGen.Generated key) {
        this.name = name;
        this.key = key;
    }

    /** A new investigator with a new RSA-2048 key (about a second of CPU). */
    public static Investigator generate(String name) {
        return new Investigator(name, KeyGen.rsa(name + " <" + name + "@example.net>", 2048));
    }

    public String name() {
        return name;
    }

    public KeyGen.Generated key() {
        return key;
    }

    public String fingerprint() {
        return key.fingerprint();
    }

    /** The ACL an agent needs to run this investigator's actions: weight 1 of 1 for every module. */
    public String aclJson() {
        return "{\"default\":{\"minimumweight\":1,\"investigators\":{\"" + name + "\":{\"fingerprint\":\""
                + fingerprint() + "\",\"weight\":1}}}}";
    }

    /** What an agent trusts: this investigator's key and {@link #aclJson()}. */
    public Trust trust() {
        return new Trust(Keyring.of(List.of(key.secretKey().publicKey())), Acl.parse(aclJson()), false);
    }

    /** Registers the investigator as active, with the default permissions. @return its id */
    public long register(MigDatabase db) {
        return register(db, Permission.DEFAULT);
    }

    /** Registers the investigator as active with {@code permissions}. @return its id */
    public long register(MigDatabase db, Set<Permission> permissions) {
        return new InvestigatorStore(db.dataSource())
                .create(
                        name,
                        fingerprint(),
                        key.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                        Permission.toMask(permissions),
                        Instant.now());
    }

    /** A fresh {@code X-PGPAUTHORIZATION} token. */
    public String token() {
        return AuthToken.make(key.secretKey(), Clock.systemUTC());
    }

    /** The action signed by this investigator. */
    public Action sign(Action action) {
        return ActionSignatures.sign(action, key.secretKey());
    }
}

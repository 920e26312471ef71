package mig.scheduler;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import mig.common.pgp.KeyGen;
import mig.common.pgp.PgpException;
import mig.common.pgp.SecretKey;
import mig.database.InvestigatorStore;
import mig.database.InvestigatorStore.SchedulerKey;
import mig.database.MigDatabase;
import mig.database.scheduling.ClusterLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's own investigator, {@code migscheduler}: on the first start against a database
 * without it, an RSA 2048 key pair is made (user id {@code migscheduler (MIG Scheduler action
 * signing key) <scheduler@mig>}, no passphrase, as the original's) and stored armoured with
 * permissions 0. Schedulers starting together make one key between them (a cluster lock).
 */
final class SchedulerIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerIdentity.class);

    static final String USER_ID = "migscheduler (MIG Scheduler action signing key) <scheduler@mig>";

    private SchedulerIdentity() {}

    /** The key's fingerprint, after creating the key if there was none. */
    static String ensure(MigDatabase db, Clock clock) {
        InvestigatorStore investigators = new InvestigatorStore(db.dataSource());
        Optional<SchedulerKey> existing = investigators.schedulerKey();
        if (existing.isEmpty()) {
            existing = new ClusterLock(db.dataSource(), ClusterLock.SCHEDULER_KEY_CREATION).run(() -> {
                Optional<SchedulerKey> again = investigators.schedulerKey();
                if (again.isPresent()) {
                    return again;
                }
                LOG.info("no scheduler key in the database: generating one for investigator migscheduler");
                KeyGen.Generated key = KeyGen.rsa(USER_ID, 2048);
                long id = investigators.createSchedulerKey(
                        key.fingerprint(),
                        key.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                        key.armoredSecretKey().getBytes(StandardCharsets.UTF_8),
                        clock.instant());
                LOG.info("created migscheduler identity with id {} and key {}", id, key.fingerprint());
                return investigators.schedulerKey();
            });
        }
        SchedulerKey k = existing.orElseThrow(
                () -> new IllegalStateException("the scheduler key just stored " + "cannot be read back"));
        try {
            SecretKey.fromArmored(new String(k.privateKey(), StandardCharsets.UTF_8), null);
            LOG.info("loaded scheduler investigator {} with key {}", k.id(), k.fingerprint());
        } catch (PgpException e) {
            // Only kill orders for duplicate agents are signed with it; the scheduler goes on without them.
            LOG.warn("the stored scheduler key {} cannot be read: {}", k.fingerprint(), e.getMessage());
        }
        return k.fingerprint();
    }
}

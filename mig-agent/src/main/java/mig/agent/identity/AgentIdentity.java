package mig.agent.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;
import mig.common.amqp.AmqpNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who this endpoint is on the relay: a random uid kept in {@code <rundir>/.migagtid} (mode 0400),
 * and the queue location {@code <os>.<uid>} that names its queue {@code mig.agt.<queueloc>}.
 *
 * <p>As in the original, the uid is eight base-36 renderings of random positive 63-bit numbers,
 * at least 80 characters; a missing or malformed file is replaced. The uid is a shared secret (the
 * stat socket trusts it), so it comes from {@link SecureRandom} rather than the original's
 * time-seeded generator.
 *
 * @param uid      the secret endpoint id
 * @param queueLoc {@code linux.<uid>}
 */
public record AgentIdentity(String uid, String queueLoc) {

    private static final Logger LOG = LoggerFactory.getLogger(AgentIdentity.class);
    /** The original's check of a stored id. */
    static final Pattern VALID_UID = Pattern.compile("^[0-9a-zA-Z]{80,}$");

    static final String ID_FILE = ".migagtid";
    private static final SecureRandom RANDOM = new SecureRandom();

    public AgentIdentity {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(queueLoc, "queueLoc");
    }

    /** The AMQP queue (and routing key) of this agent: {@code mig.agt.<queueloc>}. */
    public String queueName() {
        return AmqpNames.agentQueue(queueLoc);
    }

    /**
     * Reads the uid from {@code <runDir>/.migagtid}, or creates the folder and a new id file.
     *
     * @param os the Go-style OS name that prefixes the queue location ({@code linux})
     * @throws IOException naming the file that could not be read or written
     */
    public static AgentIdentity loadOrCreate(Path runDir, String os) throws IOException {
        Path file = runDir.resolve(ID_FILE);
        String uid = null;
        if (Files.isRegularFile(file)) {
            try {
                uid = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                LOG.info("unable to read agent id from {}: {}; creating a new one", file, e.getMessage());
            }
            if (uid != null && !VALID_UID.matcher(uid).matches()) {
                LOG.info("invalid or deprecated agent id in {}, recreating", file);
                uid = null;
            }
        }
        if (uid == null) {
            uid = create(runDir, file);
        }
        return new AgentIdentity(uid, os + "." + uid);
    }

    private static String create(Path runDir, Path file) throws IOException {
        if (Files.exists(runDir) && !Files.isDirectory(runDir)) {
            throw new IOException("agent run directory " + runDir + " exists but is not a directory");
        }
        try {
            Files.createDirectories(runDir);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("agent run directory " + runDir + " exists but is not a directory", e);
        }
        String uid = newUid();
        Files.deleteIfExists(file);
        try {
            Files.writeString(file, uid, StandardCharsets.UTF_8);
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
            }
        } catch (IOException e) {
            throw new IOException("cannot write agent id file " + file + ": " + e.getMessage(), e);
        }
        LOG.info("agent id created in {}", file);
        return uid;
    }

    /** Eight base-36 random positive longs, redrawn in the rare case they total under 80 characters. */
    static String newUid() {
        while (true) {
            StringBuilder sb = new StringBuilder(104);
            for (int i = 0; i < 8; i++) {
                sb.append(Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36));
            }
            if (VALID_UID.matcher(sb).matches()) {
                return sb.toString();
            }
        }
    }
}

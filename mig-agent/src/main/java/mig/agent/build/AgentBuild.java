package mig.agent.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import mig.common.acl.Acl;
import mig.common.acl.AclException;
import mig.common.config.ConfigException;
import mig.common.pgp.Keyring;
import mig.common.pgp.PgpException;
import mig.common.pgp.PublicKey;

/**
 * What a packaged agent carries inside its jar: the ACL, the investigators' public keys and the
 * settings it was built with (the original compiled {@code AGENTACL}, {@code PUBLICPGPKEYS} and its
 * configuration into the binary). Whoever controls the relay, the API or a file in {@code /etc/mig}
 * cannot change whom such an agent obeys; only a new build can.
 *
 * <p>{@link AgentPackager} writes these class path resources; an agent run from the development
 * tree has none and {@link #current()} is empty:
 * <pre>
 *   mig-agent-build/build.properties   name, built, trustfromdisk, keys (file names), sha256
 *   mig-agent-build/acl.cfg            the ACL (spec §4)
 *   mig-agent-build/agentkeys/&lt;file&gt;   one armoured public key per file
 *   mig-agent-build/mig-agent.cfg      optional: the built-in settings, in the original's format
 *   mig-agent-build/fswatch.cfg        optional: the fswatch persistent module's configuration
 *   mig-agent-build/dispatch.cfg       optional: the dispatch module's configuration
 * </pre>
 * The {@code sha256} covers every other resource, so a jar whose trust was edited by hand (or
 * half-copied) refuses to start rather than run with part of it.
 *
 * @param name          the build's name, shown by {@code -S} and in logs
 * @param built         when the package was made
 * @param aclText       the ACL as written in the build folder
 * @param acl           the parsed ACL
 * @param keyring       the compiled-in keys
 * @param settings      the built-in {@code mig-agent.cfg} text, if the build has one
 * @param persist       the persistent modules' configuration files, by name ({@code fswatch.cfg},
 *                      {@code dispatch.cfg}), as written in the build folder
 * @param trustFromDisk true when the build lets {@code acl.cfg} and {@code agentkeys/} on disk
 *                      replace its own ACL and keys (the original's behaviour)
 * @param sha256        hex digest of the build's content
 */
public record AgentBuild(
        String name,
        Instant built,
        String aclText,
        Acl acl,
        Keyring keyring,
        Optional<String> settings,
        Map<String, String> persist,
        boolean trustFromDisk,
        String sha256) {

    /** The folder of the resources in the jar. */
    public static final String ROOT = "mig-agent-build/";

    static final String PROPERTIES = ROOT + "build.properties";
    static final String ACL = ROOT + "acl.cfg";
    static final String SETTINGS = ROOT + "mig-agent.cfg";
    static final String KEYS = ROOT + "agentkeys/";

    public AgentBuild {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(built, "built");
        Objects.requireNonNull(acl, "acl");
        Objects.requireNonNull(keyring, "keyring");
        settings = Objects.requireNonNullElse(settings, Optional.empty());
        persist = Map.copyOf(Objects.requireNonNullElse(persist, Map.of()));
    }

    /** The build this agent's jar carries, if any. @throws ConfigException if it is damaged */
    public static Optional<AgentBuild> current() {
        return load(AgentBuild.class.getClassLoader());
    }

    /**
     * Reads the build resources visible to {@code loader}.
     *
     * @return empty when there is no {@code build.properties} (not a packaged agent)
     * @throws ConfigException naming the resource that is missing, damaged or invalid
     */
    public static Optional<AgentBuild> load(ClassLoader loader) {
        Optional<byte[]> props = resource(loader, PROPERTIES);
        if (props.isEmpty()) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(props.get(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new ConfigException("compiled-in " + PROPERTIES + " is unreadable: " + e.getMessage(), e);
        }
        String name = required(p, "name");
        Instant built;
        try {
            built = Instant.parse(required(p, "built"));
        } catch (DateTimeParseException e) {
            throw new ConfigException("compiled-in " + PROPERTIES + ": built = '" + p.getProperty("built")
                    + "' is not an ISO-8601 instant");
        }
        Map<String, byte[]> content = new LinkedHashMap<>();
        content.put("acl.cfg", requiredResource(loader, ACL, name));
        List<PublicKey> keys = new ArrayList<>();
        for (String file : required(p, "keys").split(",")) {
            String f = file.strip();
            if (f.isEmpty()) {
                continue;
            }
            byte[] armored = requiredResource(loader, KEYS + f, name);
            content.put("agentkeys/" + f, armored);
            try {
                keys.add(PublicKey.parse(new String(armored, StandardCharsets.UTF_8)));
            } catch (PgpException e) {
                throw new ConfigException(
                        "build '" + name + "': compiled-in key " + KEYS + f + " is invalid: " + e.getMessage(), e);
            }
        }
        Optional<String> settings = Optional.empty();
        if (Boolean.parseBoolean(p.getProperty("settings", "false"))) {
            byte[] cfg = requiredResource(loader, SETTINGS, name);
            content.put("mig-agent.cfg", cfg);
            settings = Optional.of(new String(cfg, StandardCharsets.UTF_8));
        }
        Map<String, String> persist = new LinkedHashMap<>();
        for (String file : p.getProperty("persist", "").split(",")) {
            String f = file.strip();
            if (f.isEmpty()) {
                continue;
            }
            byte[] cfg = requiredResource(loader, ROOT + f, name);
            content.put(f, cfg);
            persist.put(f, new String(cfg, StandardCharsets.UTF_8));
        }
        boolean fromDisk = Boolean.parseBoolean(p.getProperty("trustfromdisk", "false"));
        String expected = required(p, "sha256");
        String actual = digest(name, fromDisk, content);
        if (!actual.equals(expected)) {
            throw new ConfigException("build '" + name + "': compiled-in trust does not match its digest (expected "
                    + expected + ", found " + actual + "): the jar was altered; rebuild it with the packager");
        }
        String aclText = new String(content.get("acl.cfg"), StandardCharsets.UTF_8);
        Acl acl;
        try {
            acl = Acl.parse(aclText);
        } catch (AclException e) {
            throw new ConfigException("build '" + name + "': compiled-in " + ACL + " is invalid: " + e.getMessage(), e);
        }
        return Optional.of(
                new AgentBuild(name, built, aclText, acl, Keyring.of(keys), settings, persist, fromDisk, actual));
    }

    /**
     * The digest {@code build.properties} records: SHA-256 over the name, the trust flag and every
     * resource (path, length, bytes) in a fixed order.
     */
    static String digest(String name, boolean trustFromDisk, Map<String, byte[]> content) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        md.update(("name=" + name + "\ntrustfromdisk=" + trustFromDisk + "\n").getBytes(StandardCharsets.UTF_8));
        content.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            md.update((e.getKey() + "\n" + e.getValue().length + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(e.getValue());
        });
        return HexFormat.of().formatHex(md.digest());
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException("compiled-in " + PROPERTIES + " has no '" + key + "': the jar was not made by "
                    + "the agent packager, or was altered");
        }
        return v.strip();
    }

    private static byte[] requiredResource(ClassLoader loader, String path, String build) {
        return resource(loader, path)
                .orElseThrow(() -> new ConfigException("build '" + build + "': " + path
                        + " is missing from the jar: the jar was altered; rebuild it with the packager"));
    }

    private static Optional<byte[]> resource(ClassLoader loader, String path) {
        try (InputStream in = loader.getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new ConfigException("cannot read compiled-in " + path + ": " + e.getMessage(), e);
        }
    }
}

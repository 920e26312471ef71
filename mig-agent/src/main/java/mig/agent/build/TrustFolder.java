package mig.agent.build;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mig.agent.config.AgentConfig;
import mig.agent.config.AgentConfigFile;
import mig.common.acl.Acl;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;
import mig.common.json.GoJson;
import mig.common.pgp.PgpException;
import mig.common.pgp.PublicKey;

/**
 * The folder an operator hands to the packager, checked once and strictly: at build time a mistake
 * is cheap to fix, on ten thousand endpoints it is not.
 *
 * <pre>
 *   acl.cfg          required: the ACL (spec §4)
 *   agentkeys/       required: one armoured public key per file, at least one
 *   mig-agent.cfg    optional: the built-in settings, in the original's format (relay, api, tags, ...)
 *   build.cfg        optional: [build] name = "...", trustfromdisk = off
 *   fswatch.cfg      optional: the fswatch persistent module's paths (the original's format)
 *   dispatch.cfg     optional: where persistent modules' alerts are posted (the original's format)
 * </pre>
 *
 * Rules: every key file must hold exactly one valid public key (the agent at run time skips bad
 * files; a build refuses them); every fingerprint the ACL names must be one of the keys (else that
 * investigator could never be obeyed); {@code mig-agent.cfg} must read as the agent would read it.
 * A key the ACL does not name only draws a warning: with {@code onlyverifypubkey} it is enough.
 *
 * @param name          {@code [build] name}, default the folder's name
 * @param trustFromDisk {@code [build] trustfromdisk}: let {@code /etc/mig/acl.cfg} and
 *                      {@code agentkeys/} replace the compiled-in ones, as the original did
 * @param acl           {@code acl.cfg} as written
 * @param keys          key file name to armoured key, in name order
 * @param settings      {@code mig-agent.cfg} as written, if present
 * @param persist       {@code fswatch.cfg} and {@code dispatch.cfg} as written, those present
 * @param warnings      what is legal but probably not meant
 */
public record TrustFolder(
        String name,
        boolean trustFromDisk,
        String acl,
        Map<String, String> keys,
        Optional<String> settings,
        Map<String, String> persist,
        List<String> warnings) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private static final Map<String, Set<String>> BUILD_KEYS = Map.of("build", Set.of("name", "trustfromdisk"));

    /**
     * Reads and checks {@code dir}.
     *
     * @throws ConfigException naming the file and the rule it breaks
     */
    public static TrustFolder read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("trust folder " + dir + " does not exist or is not a folder");
        }
        List<String> warnings = new ArrayList<>();
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        boolean fromDisk = false;
        Path buildCfg = dir.resolve("build.cfg");
        if (Files.exists(buildCfg)) {
            IniConfig ini = IniConfig.read(buildCfg).requireKnown(BUILD_KEYS);
            name = ini.getString("build", "name", name);
            fromDisk = ini.getBool("build", "trustfromdisk").orElse(false);
        }
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(buildCfg + ": [build] name = '" + name + "' must be 1 to 64 letters, digits or "
                    + "._+- (it names the package), starting with a letter or digit");
        }
        String acl = readText(
                dir.resolve("acl.cfg"),
                "the ACL (spec §4), e.g. "
                        + "{\"default\":{\"minimumweight\":1,\"investigators\":{\"Alice\":{\"fingerprint\":\"...\",\"weight\":1}}}}");
        Map<String, Acl.Entry> entries;
        try {
            Acl.parse(acl);
            entries = GoJson.unmarshal(acl, new TypeReference<LinkedHashMap<String, Acl.Entry>>() {});
        } catch (RuntimeException e) {
            throw new ConfigException(dir.resolve("acl.cfg") + ": " + e.getMessage(), e);
        }
        Map<String, String> keys = readKeys(dir.resolve("agentkeys"));
        Map<String, String> fingerprints = new TreeMap<>();
        keys.forEach((file, armored) ->
                fingerprints.put(fingerprint(armored, dir.resolve("agentkeys").resolve(file)), file));
        List<String> unknown = new ArrayList<>();
        java.util.Set<String> named = new java.util.HashSet<>();
        entries.forEach((module, entry) -> entry.investigators().forEach((who, signer) -> {
            String fp = signer.fingerprint().replace(" ", "").toUpperCase(Locale.ROOT);
            named.add(fp);
            if (!fingerprints.containsKey(fp)) {
                unknown.add(module + "/" + who + " (" + signer.fingerprint() + ")");
            }
        }));
        if (!unknown.isEmpty()) {
            throw new ConfigException(dir.resolve("acl.cfg") + " names investigators whose key is not in "
                    + dir.resolve("agentkeys") + ": " + String.join(", ", unknown)
                    + "; add their armoured public keys there");
        }
        fingerprints.forEach((fp, file) -> {
            if (!named.contains(fp)) {
                warnings.add("agentkeys/" + file + " (" + fp + ") is not named in acl.cfg: it only counts with "
                        + "onlyverifypubkey = on");
            }
        });
        Optional<String> settings = Optional.empty();
        Path cfg = dir.resolve("mig-agent.cfg");
        if (Files.exists(cfg)) {
            String text = readText(cfg, "the agent settings");
            AgentConfig parsed = AgentConfigFile.parse(text, cfg.toString(), AgentConfig.builder());
            if (parsed.onlyVerifyPubKey()) {
                warnings.add("mig-agent.cfg sets onlyverifypubkey = on: the compiled-in ACL is not enforced");
            }
            settings = Optional.of(text);
        }
        Map<String, String> persist = new LinkedHashMap<>();
        for (String f : mig.agent.persist.PersistSettings.FILES) {
            Path file = dir.resolve(f);
            if (Files.exists(file)) {
                persist.put(f, readText(file, "the " + f.substring(0, f.indexOf('.')) + " module's configuration"));
            }
        }
        // read as the agent will read them: a bad value fails the build, not ten thousand agents
        mig.agent.persist.PersistSettings.parse(persist, dir.toString());
        return new TrustFolder(name, fromDisk, acl, keys, settings, Map.copyOf(persist), List.copyOf(warnings));
    }

    /** The resources {@link AgentBuild#load} reads, by path relative to {@link AgentBuild#ROOT}. */
    Map<String, byte[]> content() {
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("acl.cfg", acl.getBytes(StandardCharsets.UTF_8));
        keys.forEach((file, armored) -> c.put("agentkeys/" + file, armored.getBytes(StandardCharsets.UTF_8)));
        settings.ifPresent(s -> c.put("mig-agent.cfg", s.getBytes(StandardCharsets.UTF_8)));
        new TreeMap<>(persist).forEach((f, text) -> c.put(f, text.getBytes(StandardCharsets.UTF_8)));
        return c;
    }

    private static Map<String, String> readKeys(Path keysDir) {
        if (!Files.isDirectory(keysDir)) {
            throw new ConfigException(keysDir + " is missing: put each investigator's armoured public key there, "
                    + "one per file ('gpg --export --armor <fingerprint>')");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(keysDir)) {
            files = list.sorted().toList();
        } catch (IOException e) {
            throw new ConfigException("cannot list " + keysDir + ": " + e.getMessage(), e);
        }
        Map<String, String> keys = new TreeMap<>();
        for (Path f : files) {
            String file = f.getFileName().toString();
            if (file.startsWith(".")) {
                continue;
            }
            if (!Files.isRegularFile(f) || file.contains(",") || file.isBlank()) {
                throw new ConfigException(
                        f + ": not a regular file with a plain name; agentkeys/ must hold only key " + "files");
            }
            keys.put(file, readText(f, "an armoured public key"));
        }
        if (keys.isEmpty()) {
            throw new ConfigException(keysDir + " holds no key: an agent built without keys obeys nobody");
        }
        return keys;
    }

    private static String fingerprint(String armored, Path file) {
        try {
            return PublicKey.parse(armored).fingerprint().toUpperCase(Locale.ROOT);
        } catch (PgpException e) {
            throw new ConfigException(file + ": not one armoured public key: " + e.getMessage(), e);
        }
    }

    private static String readText(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + " is missing: it must hold " + what);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

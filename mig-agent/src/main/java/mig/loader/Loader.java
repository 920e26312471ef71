package mig.loader;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import mig.agent.env.EnvironmentProbe;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.common.manifest.ManifestEntry;
import mig.common.manifest.ManifestException;
import mig.common.manifest.ManifestResponse;
import mig.common.manifest.ManifestSignatures;
import mig.common.pgp.Keyring;
import mig.common.pgp.PgpException;

/**
 * One run of the loader, as the original's: ask the API for this loader's manifest, check its
 * signatures (k of the trusted keys), compare each bundle file's SHA-256 with the manifest's,
 * fetch the files that differ, and replace them, then restart the agent.
 *
 * <p>Safer than the original, which replaced files one by one as it fetched them (a bad file after
 * a good one left a half-updated host): every changed file is fetched, checked against the signed
 * SHA-256 and staged first; only when all are good are they moved into place, and if the restart
 * command fails the previous files are put back. Anything refused leaves the installed files as
 * they were and the agent running.
 */
final class Loader {
    /** Largest file accepted from the API, uncompressed. */
    static final long MAX_FILE = 512L << 20;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]{40}");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RESTART_TIMEOUT = Duration.ofMinutes(5);

    /** A run that must stop, leaving the host as it was; the message says why. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final LoaderConfig config;
    private final PrintStream log;
    private final HttpClient http;

    Loader(LoaderConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** @return whether files were replaced */
    boolean run() throws Refused, InterruptedException {
        String key = loaderKey();
        Keyring trusted = trustedKeys();
        Map<String, Object> agent = agentIdentity();

        info("requesting manifest from " + config.api() + "manifest/agent/");
        JsonNode value = post("manifest/agent/", key, Map.of("agent", agent), "manifest");
        ManifestResponse manifest;
        try {
            manifest = GoJson.unmarshal(GoJson.marshal(value), ManifestResponse.class);
        } catch (GoJsonException e) {
            throw new Refused("the API's manifest cannot be read: " + e.getMessage(), e);
        }
        if (manifest.loaderName() == null || manifest.loaderName().isEmpty()) {
            throw new Refused("manifest response has no loader name");
        }
        try {
            ManifestSignatures.Check check = ManifestSignatures.verify(manifest, trusted);
            info(check.valid() + " valid signatures in manifest");
            for (String why : check.refused()) {
                info("signature not counted: " + why);
            }
            if (check.valid() < config.requiredSignatures()) {
                throw new Refused("Not enough valid signatures (got " + check.valid() + ", need "
                        + config.requiredSignatures() + "), rejecting");
            }
        } catch (ManifestException e) {
            throw new Refused(e.getMessage(), e);
        }

        Map<String, String> wanted = new LinkedHashMap<>();
        for (ManifestEntry e : manifest.entries() == null ? List.<ManifestEntry>of() : manifest.entries()) {
            if (e.sha256() == null || !e.sha256().matches("[0-9a-f]{64}")) {
                throw new Refused("manifest entry '" + e.name() + "' has no valid SHA-256");
            }
            wanted.put(e.name(), e.sha256());
        }

        // fetch and check every file that differs, staged next to its destination
        List<Staged> staged = new ArrayList<>();
        try {
            for (Bundle.Entry b : config.bundle()) {
                String want = wanted.get(b.name());
                if (want == null) {
                    continue;
                }
                String have = sha256(b.path()).orElse("not found");
                info("comparing " + b.name() + " " + b.path() + ": we have " + have + ", they have " + want);
                if (have.equals(want)) {
                    fixMode(b);
                    continue;
                }
                info("refreshing " + b.name());
                byte[] content = fetch(key, agent, b.name());
                String got = HexFormat.of().formatHex(digest().digest(content));
                if (!got.equals(want)) {
                    throw new Refused("staged file signature mismatch: " + b.name() + " from the API has SHA-256 " + got
                            + ", the signed manifest says " + want);
                }
                staged.add(stage(b, content));
            }
        } catch (Refused | RuntimeException e) {
            for (Staged s : staged) {
                deleteQuietly(s.staged());
            }
            throw e;
        }
        if (staged.isEmpty()) {
            info("we have the manifest's files, no need to replace");
            return false;
        }
        install(staged);
        restart(staged);
        return true;
    }

    private record Staged(Bundle.Entry entry, Path staged, Path old, boolean hadOld) {}

    private Staged stage(Bundle.Entry b, byte[] content) throws Refused {
        Path staged = b.path().resolveSibling(b.path().getFileName() + ".loader");
        try {
            Files.createDirectories(b.path().getParent());
            Files.write(staged, content);
            setMode(staged, b.mode());
        } catch (IOException e) {
            throw new Refused("cannot stage " + b.name() + " at " + staged + ": " + e.getMessage(), e);
        }
        return new Staged(b, staged, b.path().resolveSibling(b.path().getFileName() + ".old"), Files.exists(b.path()));
    }

    private void install(List<Staged> staged) throws Refused {
        List<Staged> done = new ArrayList<>();
        try {
            for (Staged s : staged) {
                info("installing " + s.entry().name() + " at " + s.entry().path());
                if (s.hadOld()) {
                    Files.move(s.entry().path(), s.old(), StandardCopyOption.REPLACE_EXISTING);
                }
                move(s.staged(), s.entry().path());
                done.add(s);
            }
        } catch (IOException e) {
            rollBack(done);
            for (Staged s : staged) {
                deleteQuietly(s.staged());
            }
            throw new Refused("installing the new files failed, the previous ones are back: " + e.getMessage(), e);
        }
    }

    private void restart(List<Staged> installed) throws Refused, InterruptedException {
        String command = config.restart();
        if (command == null || command.isBlank()) {
            info("files replaced; no restart command configured");
            return;
        }
        info("running triggers due to modification: " + command);
        String failure;
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(RESTART_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                failure = "did not finish in " + RESTART_TIMEOUT.toSeconds() + " s";
            } else {
                failure = p.exitValue() == 0 ? null : "exited with status " + p.exitValue();
            }
        } catch (IOException e) {
            failure = e.getMessage();
        }
        if (failure == null) {
            info("agent restarted");
            return;
        }
        rollBack(installed);
        throw new Refused(
                "the restart command '" + command + "' " + failure + "; the previous files are back in place");
    }

    private void rollBack(List<Staged> installed) {
        for (Staged s : installed) {
            try {
                if (s.hadOld()) {
                    move(s.old(), s.entry().path());
                } else {
                    Files.deleteIfExists(s.entry().path());
                }
            } catch (IOException e) {
                info("cannot put back " + s.entry().path() + ": " + e.getMessage());
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void fixMode(Bundle.Entry b) {
        try {
            setMode(b.path(), b.mode());
        } catch (IOException e) {
            info("cannot set permissions of " + b.path() + ": " + e.getMessage());
        }
    }

    private static void setMode(Path p, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): permissions are left to the folder's
        }
    }

    private String loaderKey() throws Refused {
        String key;
        try {
            List<String> lines = Files.readAllLines(config.keyFile(), StandardCharsets.UTF_8);
            key = lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (IOException e) {
            throw new Refused("cannot read the loader key from " + config.keyFile() + ": " + e.getMessage(), e);
        }
        if (!KEY.matcher(key).matches()) {
            throw new Refused("the loader key in " + config.keyFile()
                    + " is not 40 letters and digits (the prefix and key the API gave)");
        }
        return key;
    }

    private Keyring trustedKeys() throws Refused {
        Keyring k;
        try {
            k = Files.isDirectory(config.manifestKeys())
                    ? Keyring.fromDirectory(config.manifestKeys())
                    : Keyring.fromFile(config.manifestKeys());
        } catch (PgpException e) {
            throw new Refused(
                    "cannot read the keys trusted to sign manifests from " + config.manifestKeys() + ": "
                            + e.getMessage(),
                    e);
        }
        if (k.size() < config.requiredSignatures()) {
            throw new Refused(config.manifestKeys() + " holds " + k.size() + " trusted keys, fewer than the "
                    + config.requiredSignatures() + " signatures required: no manifest could be accepted");
        }
        return k;
    }

    private Map<String, Object> agentIdentity() {
        String os = EnvironmentProbe.goos();
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("init", EnvironmentProbe.init(os));
        env.put("ident", EnvironmentProbe.ident());
        env.put("os", os);
        env.put("arch", EnvironmentProbe.goarch(System.getProperty("os.arch", "")));
        env.put("addresses", EnvironmentProbe.addresses());
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("name", EnvironmentProbe.hostname());
        agent.put("environment", env);
        agent.put("tags", config.tags());
        return agent;
    }

    private byte[] fetch(String key, Map<String, Object> agent, String object) throws Refused, InterruptedException {
        info("fetching file from " + config.api() + "manifest/fetch/");
        JsonNode value = post("manifest/fetch/", key, Map.of("agent", agent, "object", object), "content");
        JsonNode data = value.get("data");
        if (data == null || !data.isTextual()) {
            throw new Refused("the API's answer for " + object + " has no data");
        }
        byte[] gz;
        try {
            gz = Base64.getDecoder().decode(data.asText());
        } catch (IllegalArgumentException e) {
            throw new Refused("the API's answer for " + object + " is not base64", e);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            byte[] out = in.readNBytes((int) Math.min(MAX_FILE + 1, Integer.MAX_VALUE - 8));
            if (out.length > MAX_FILE) {
                throw new Refused(object + " from the API is larger than " + MAX_FILE + " bytes");
            }
            return out;
        } catch (IOException e) {
            throw new Refused("the API's " + object + " is not gzip-compressed: " + e.getMessage(), e);
        }
    }

    private JsonNode post(String route, String key, Map<String, Object> parameters, String dataName)
            throws Refused, InterruptedException {
        String body = "parameters=" + URLEncoder.encode(GoJson.marshal(parameters), StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create(config.api() + route))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-LOADERKEY", key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Refused("cannot reach the API at " + config.api() + route + ": " + e.getMessage(), e);
        }
        JsonNode doc;
        try {
            doc = GoJson.tree(resp.body());
        } catch (GoJsonException e) {
            throw new Refused("HTTP " + resp.statusCode() + " from " + route + ", not Collection+JSON", e);
        }
        JsonNode collection = doc.path("collection");
        if (resp.statusCode() != 200) {
            throw new Refused("HTTP " + resp.statusCode() + ", API call failed with error '"
                    + collection.path("error").path("message").asText() + "' (code "
                    + collection.path("error").path("code").asText() + ")");
        }
        JsonNode data = collection.path("items").path(0).path("data").path(0);
        if (!dataName.equals(data.path("name").asText())) {
            throw new Refused("the API's answer from " + route + " holds no " + dataName);
        }
        return data.path("value");
    }

    private static Optional<String> sha256(Path p) {
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        MessageDigest d = digest();
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().formatHex(d.digest()));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left behind: the next run overwrites it
        }
    }

    private void info(String s) {
        log.println("mig-loader: " + s);
    }
}

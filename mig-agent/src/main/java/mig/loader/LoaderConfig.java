package mig.loader;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;
import mig.common.logging.LoggingConfig;

/**
 * {@code mig-loader.cfg}, the original loader's configuration ({@code [loader] api, tags,
 * requiredsignatures, discoverpublicip, discoverawsmeta, proxies} and {@code [logging]}) with what
 * the original compiled in made configurable:
 *
 * <pre>
 * [loader]
 *     api                = "http://localhost:1664/api/v1/"   ; the MIG API, trailing slash optional
 *     tags               = "operator:myorg"                 ; repeatable, key:value
 *     requiredsignatures = 2                                ; k of k-of-n (default 1)
 *     keyfile            = /etc/mig/mig-loader.key          ; the loader key (prefix and key, 40 characters)
 *     manifestkeys       = /etc/mig/manifestkeys            ; folder of armoured public keys trusted to sign
 *     root               = /                                ; prefix of every bundle path (tests, chroots)
 *     restart            = systemctl restart mig-agent      ; run after files changed; empty for none
 * [bundle]
 *     mig-agent          = /opt/mig/mig-agent.jar           ; a bundle entry's path, replacing the default
 * </pre>
 *
 * {@code discoverpublicip}, {@code discoverawsmeta} and {@code proxies} are read and ignored: the
 * loader reports its host name, OS, architecture, addresses and tags, without public IP or AWS
 * metadata, and connects directly.
 */
record LoaderConfig(
        String api,
        Map<String, String> tags,
        int requiredSignatures,
        Path keyFile,
        Path manifestKeys,
        Path root,
        String restart,
        Map<String, String> bundlePaths,
        LoggingConfig logging) {

    static final Path DEFAULT_PATH = Path.of("/etc/mig/mig-loader.cfg");

    private static final Map<String, Set<String>> KNOWN = Map.of(
            "loader",
            Set.of(
                    "api",
                    "tags",
                    "requiredsignatures",
                    "discoverpublicip",
                    "discoverawsmeta",
                    "proxies",
                    "keyfile",
                    "manifestkeys",
                    "root",
                    "restart"),
            "logging",
            LoggingConfig.KEYS);

    static LoaderConfig read(Path file) {
        IniConfig ini = IniConfig.read(file);
        Map<String, Set<String>> known = new LinkedHashMap<>(KNOWN);
        if (ini.hasSection("bundle")) {
            known.put("bundle", Set.copyOf(Bundle.NAMES));
        }
        ini.requireKnown(known);
        String api = ini.get("loader", "api")
                .orElseThrow(() -> new ConfigException(
                        file + ": [loader] api is required (the MIG API's URL, e.g. http://localhost:1664/api/v1/)"));
        if (!api.startsWith("http://") && !api.startsWith("https://")) {
            throw new ConfigException(file + ": [loader] api must be an http:// or https:// URL, got '" + api + "'");
        }
        if (!api.endsWith("/")) {
            api = api + "/";
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String t : ini.getAll("loader", "tags")) {
            int colon = t.indexOf(':');
            String k = (colon < 0 ? t : t.substring(0, colon)).trim();
            if (!k.isEmpty()) {
                tags.put(k, colon < 0 ? "" : t.substring(colon + 1).trim());
            }
        }
        long required = ini.getLong("loader", "requiredsignatures").orElse(1L);
        if (required < 1 || required > 100) {
            throw new ConfigException(
                    file + ": [loader] requiredsignatures must be between 1 and 100, got " + required);
        }
        Map<String, String> paths = new LinkedHashMap<>();
        for (String name : Bundle.NAMES) {
            ini.get("bundle", name).ifPresent(p -> paths.put(name, p));
        }
        return new LoaderConfig(
                api,
                tags,
                (int) required,
                Path.of(ini.getString("loader", "keyfile", "/etc/mig/mig-loader.key")),
                Path.of(ini.getString("loader", "manifestkeys", "/etc/mig/manifestkeys")),
                Path.of(ini.getString("loader", "root", "/")),
                ini.getString("loader", "restart", "systemctl restart mig-agent"),
                paths,
                LoggingConfig.from(ini));
    }

    /** The bundle entries with their paths under {@link #root}. */
    List<Bundle.Entry> bundle() {
        return Bundle.linux(root, bundlePaths);
    }
}

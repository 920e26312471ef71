package mig.client.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;

/**
 * The investigator's {@code ~/.migrc} (spec §9.1), in the original's format:
 *
 * <pre>
 * [api]     url = "http://localhost:1664/api/v1/"
 *           skipverifycert = off
 * [gpg]     home = "/home/bob/.gnupg/"      ; holds secring.gpg / pubring.gpg (GnuPG 1 format)
 *           keyid = "E60892BB9BD89A69F759A1A0A3D652173B763E8F"
 * [targets] macro = allonline:status='online'
 * </pre>
 *
 * Beyond the original, {@code [gpg] secretkey} may name an armoured secret-key file instead of a
 * GnuPG 1 secret keyring.
 */
public record MigRc(Path source, String apiUrl, boolean skipVerifyCert, Optional<Path> gpgHome, String keyId,
        Optional<Path> secretKeyFile, Optional<String> apiKey, Map<String, String> macros) {

    private static final Map<String, Set<String>> KNOWN = Map.of(
            "api", Set.of("url", "skipverifycert"),
            "gpg", Set.of("home", "keyid", "useapikeyauth", "keyserver", "secretkey"),
            "targets", Set.of("macro"));

    /** {@code ~/.migrc} of the current user. */
    public static Path defaultPath() {
        return home().resolve(".migrc");
    }

    /** {@code $HOME} when set, else Java's idea of the user's home (what Go's os.UserHomeDir does). */
    public static Path home() {
        String env = System.getenv("HOME");
        return Path.of(env != null && !env.isBlank() ? env : System.getProperty("user.home"));
    }

    /**
     * Reads a migrc file.
     *
     * @throws ConfigException naming the file, line and key of anything wrong
     */
    public static MigRc read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file + " not found; create it (see docs) "
                    + "or pass another with -c");
        }
        IniConfig ini = IniConfig.read(file).requireKnown(KNOWN);
        String url = ini.getString("api", "url", "");
        if (!url.isEmpty() && !url.endsWith("/")) {
            url = url + "/";
        }
        Map<String, String> macros = new LinkedHashMap<>();
        for (String m : ini.getAll("targets", "macro")) {
            int colon = m.indexOf(':');
            if (colon <= 0 || colon == m.length() - 1) {
                throw new ConfigException(file + ": [targets] macro '" + m
                        + "' must look like name:target, e.g. allonline:status='online'");
            }
            macros.put(m.substring(0, colon).strip(), m.substring(colon + 1).strip());
        }
        Optional<Path> home = ini.get("gpg", "home").filter(s -> !s.isBlank()).map(MigRc::expandHome);
        Optional<Path> secretKey = ini.get("gpg", "secretkey").filter(s -> !s.isBlank()).map(MigRc::expandHome);
        return new MigRc(file, url, ini.getBool("api", "skipverifycert").orElse(false), home,
                ini.getString("gpg", "keyid", ""), secretKey,
                ini.get("gpg", "useapikeyauth").filter(s -> !s.isBlank()), Map.copyOf(macros));
    }

    private static Path expandHome(String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return Path.of(home() + p.substring(1));
        }
        return Path.of(p);
    }

    /** Where the public keyring lives: {@code <gpg home>/pubring.gpg}. */
    public Optional<Path> pubring() {
        return gpgHome.map(h -> h.resolve("pubring.gpg"));
    }

    /** Macro names in file order is not guaranteed; the set of names. */
    public List<String> macroNames() {
        return List.copyOf(macros.keySet());
    }
}

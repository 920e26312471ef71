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
 *           ; useapikeyauth = <api key>     ; X-MIGAPIKEY instead of signed tokens (read-only use)
 *           ; keyserver = https://keys.openpgp.org  ; where mig-console fetches 0x... keys
 * [targets] macro = allonline:status='online'
 * </pre>
 *
 * Beyond the original, two other sources for the signing key (the original's Go reader refuses
 * these keys, so a migrc that uses them is for this client only):
 * <ul>
 *   <li>{@code [gpg] secretkey = <file>}: an armoured secret key ({@code gpg --export-secret-keys --armor});</li>
 *   <li>{@code [gpg] usegpg = on}: ask the user's own {@code gpg} to sign with {@code keyid}, so keys
 *       held by gpg-agent or on a smartcard work, with gpg's own passphrase prompt.</li>
 * </ul>
 */
public record MigRc(
        Path source,
        String apiUrl,
        boolean skipVerifyCert,
        Optional<Path> gpgHome,
        String keyId,
        Optional<Path> secretKeyFile,
        Optional<String> apiKey,
        Map<String, String> macros,
        boolean useGpg,
        Optional<String> keyserver) {

    private static final Map<String, Set<String>> KNOWN = Map.of(
            "api", Set.of("url", "skipverifycert"),
            "gpg", Set.of("home", "keyid", "useapikeyauth", "keyserver", "secretkey", "usegpg"),
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

    /** The GnuPG home used when {@code [gpg] home} is not set: {@code $GNUPGHOME}, else {@code ~/.gnupg}. */
    public static Path defaultGpgHome() {
        String env = System.getenv("GNUPGHOME");
        return env != null && !env.isBlank() ? Path.of(env) : home().resolve(".gnupg");
    }

    /**
     * Reads a migrc file.
     *
     * @throws ConfigException naming the file, line and key of anything wrong
     */
    public static MigRc read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(
                    "configuration file " + file + " not found; create it (run mig or "
                            + "mig-console on a terminal for the interactive set-up, see docs/clients.md) or pass another with -c");
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
        Optional<Path> secretKey =
                ini.get("gpg", "secretkey").filter(s -> !s.isBlank()).map(MigRc::expandHome);
        boolean useGpg = ini.getBool("gpg", "usegpg").orElse(false);
        if (useGpg && secretKey.isPresent()) {
            throw new ConfigException(
                    file + ": [gpg] usegpg and [gpg] secretkey are two different key sources;" + " keep one of them");
        }
        return new MigRc(
                file,
                url,
                ini.getBool("api", "skipverifycert").orElse(false),
                home,
                ini.getString("gpg", "keyid", "").strip(),
                secretKey,
                ini.get("gpg", "useapikeyauth").filter(s -> !s.isBlank()),
                Map.copyOf(macros),
                useGpg,
                ini.get("gpg", "keyserver").filter(s -> !s.isBlank()));
    }

    private static Path expandHome(String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return Path.of(home() + p.substring(1));
        }
        return Path.of(p);
    }

    /** {@code [gpg] home}, or the default GnuPG home when it is not set (as the original does). */
    public Path gpgHomeOrDefault() {
        return gpgHome.orElseGet(MigRc::defaultGpgHome);
    }

    /** Where the public keyring lives: {@code <gpg home>/pubring.gpg}. */
    public Optional<Path> pubring() {
        return gpgHome.map(h -> h.resolve("pubring.gpg"));
    }

    /** The macro names. */
    public List<String> macroNames() {
        return List.copyOf(macros.keySet());
    }

    /** The target a macro name stands for, or the text itself when it is no macro (the original's rule). */
    public String resolveMacro(String target) {
        return macros.getOrDefault(target, target);
    }

    /** The {@code [api] url}, or an error saying how to set it. */
    public String requireApiUrl() {
        if (apiUrl.length() < 2) {
            throw new ConfigException(
                    source + ": [api] url is not set; add e.g. url = \"http://localhost:1664/api/v1/\"");
        }
        return apiUrl;
    }
}

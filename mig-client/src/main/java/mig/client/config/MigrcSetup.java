package mig.client.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import mig.common.config.ConfigException;

/**
 * The original's interactive set-up of a missing {@code ~/.migrc}: confirm, pick a signing key,
 * give the API's URL (checked by calling it), write the file with one {@code allonline} macro.
 *
 * <p>Keys come from {@code secring.gpg} in the GnuPG home, as in the original. Beyond it, when there
 * is no GnuPG 1 secring (GnuPG 2.1+ keeps keys in gpg-agent), the secret keys the user's {@code gpg}
 * lists are offered and the file gets {@code usegpg = on}, so the key never has to be exported.
 */
public final class MigrcSetup {
    private final BufferedReader in;
    private final PrintStream out;
    private final Path gpgHome;
    private final String gpg;

    public MigrcSetup(InputStream in, PrintStream out) {
        this(in, out, MigRc.defaultGpgHome(), System.getenv().getOrDefault("MIG_GPG", "gpg"));
    }

    MigrcSetup(InputStream in, PrintStream out, Path gpgHome, String gpg) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.gpgHome = gpgHome;
        this.gpg = gpg;
    }

    /**
     * Asks the questions and writes {@code file}.
     *
     * @throws ConfigException when the user declines, no usable key is found, or input ends
     */
    public void create(Path file) {
        out.print("generate a new configuration file at " + file + "? (Y/n)> ");
        String yes = answer();
        if (!yes.equals("y") && !yes.equals("Y") && !yes.isEmpty()) {
            throw new ConfigException("aborting creating configuration file " + file);
        }
        Path secring = gpgHome.resolve("secring.gpg");
        List<SecretKeys.Listed> keys;
        boolean useGpg = false;
        if (Files.isRegularFile(secring)) {
            keys = SecretKeys.inSecring(secring);
        } else {
            keys = SecretKeys.fromGpg(gpg, gpgHome);
            useGpg = !keys.isEmpty();
            if (useGpg) {
                out.println("no GnuPG 1 secring.gpg in " + gpgHome + "; these keys are in your gpg, which will"
                        + " be asked to sign (usegpg = on):");
            }
        }
        if (keys.isEmpty()) {
            out.printf(
                    "%nIt was not possible to open your secring.gpg. The configuration generator expects%n"
                            + "to find the keyring in the standard GPG location, and is looking in %s. If your keyring%n"
                            + "is located elsewhere, you may need to create the configuration file yourself. Consult the%n"
                            + "documentation for additional details.%n%n",
                    gpgHome);
            throw new ConfigException("no secret key found in " + secring + " nor in gpg; create a key "
                    + "(gpg --quick-gen-key) or write " + file + " by hand (see docs/clients.md)");
        }
        String keyId = "";
        for (SecretKeys.Listed k : keys) {
            out.print("found key " + quote(k.name()) + " with fingerprint " + quote(k.fingerprint())
                    + ".\nuse this key? (Y/n)> ");
            String a = answer();
            if (a.equals("y") || a.equals("Y") || a.isEmpty()) {
                out.println("using key " + quote(k.fingerprint()));
                keyId = k.fingerprint();
                break;
            }
        }
        if (keyId.isEmpty()) {
            throw new ConfigException("no suitable key found in " + (useGpg ? "gpg" : secring.toString()));
        }
        String url;
        while (true) {
            out.print("URL of API? (e.g., https://mig.example.net/api/v1/)> ");
            url = answer();
            String problem = probe(url);
            if (problem == null) {
                break;
            }
            out.println("API connection failed: " + problem);
        }
        write(file, url, keyId, useGpg);
        out.printf("%ncreated configuration file at %s%n%n", file);
    }

    private void write(Path file, String url, String keyId, boolean useGpg) {
        String text = "[api]\n\turl = \"" + url + "\"\n"
                + "[gpg]\n\thome = \"" + gpgHome + "\"\n\tkeyid = \"" + keyId + "\"\n"
                + (useGpg ? "\tusegpg = on\n" : "")
                + "[targets]\n\tmacro = allonline:status='online'\n";
        try {
            Files.writeString(file, text);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the default permissions stay
            }
        } catch (IOException e) {
            throw new ConfigException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Null when the URL answers HTTP (any status), else why not. */
    private String probe(String url) {
        try {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return null;
        } catch (IllegalArgumentException e) {
            return "invalid URL '" + url + "': " + e.getMessage();
        } catch (IOException e) {
            return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while checking the API URL", e);
        }
    }

    private String answer() {
        try {
            String line = in.readLine();
            if (line == null) {
                out.println();
                throw new ConfigException("input ended; aborting creating configuration file");
            }
            return line.strip();
        } catch (IOException e) {
            throw new ConfigException("cannot read the answer: " + e.getMessage(), e);
        }
    }

    /** Go's {@code %q} for the plain text of names and fingerprints. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

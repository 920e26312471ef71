package mig.client.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import mig.common.config.ConfigException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * The secret keys an investigator could sign with, for the migrc set-up: those of a GnuPG 1
 * {@code secring.gpg} (read directly, as the original does), or those the user's {@code gpg} lists
 * ({@code --list-secret-keys --with-colons}) when keys live in gpg-agent.
 */
final class SecretKeys {

    /** One key: primary fingerprint (40 uppercase hex) and its first user id. */
    record Listed(String fingerprint, String name) {}

    private SecretKeys() {}

    static List<Listed> inSecring(Path secring) {
        List<Listed> out = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(secring))) {
            // in file order, as the original offers them (a key ring collection would sort them by key id)
            BcPGPObjectFactory objects = new BcPGPObjectFactory(in);
            for (Object o = objects.nextObject(); o != null; o = objects.nextObject()) {
                if (!(o instanceof PGPSecretKeyRing ring)) {
                    continue;
                }
                PGPPublicKey pk = ring.getPublicKey();
                Iterator<String> ids = pk.getUserIDs();
                out.add(new Listed(
                        HexFormat.of().formatHex(pk.getFingerprint()).toUpperCase(Locale.ROOT),
                        ids.hasNext() ? ids.next() : ""));
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("cannot read the secret keys of " + secring + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The user's gpg secret keys; empty when gpg is missing or has none. */
    static List<Listed> fromGpg(String gpg, Path home) {
        List<String> cmd = new ArrayList<>(List.of(gpg, "--batch", "--list-secret-keys", "--with-colons"));
        if (Files.isDirectory(home)) {
            cmd.addAll(1, List.of("--homedir", home.toString()));
        }
        String text;
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.getOutputStream().close();
            text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return List.of();
            }
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        return parseColons(text);
    }

    /** {@code sec} records start a key; its first {@code fpr} is the primary's, its first {@code uid} the name. */
    static List<Listed> parseColons(String text) {
        List<Listed> out = new ArrayList<>();
        String fpr = null;
        String uid = null;
        boolean inKey = false;
        for (String line : text.split("\n")) {
            String[] f = line.split(":", -1);
            switch (f[0]) {
                case "sec" -> {
                    if (fpr != null) {
                        out.add(new Listed(fpr, uid == null ? "" : uid));
                    }
                    fpr = null;
                    uid = null;
                    inKey = true;
                }
                case "ssb" -> inKey = false;
                case "fpr" -> {
                    if (inKey && fpr == null && f.length > 9) {
                        fpr = f[9].toUpperCase(Locale.ROOT);
                    }
                }
                case "uid" -> {
                    if (uid == null && f.length > 9) {
                        uid = f[9];
                    }
                }
                default -> {}
            }
        }
        if (fpr != null) {
            out.add(new Listed(fpr, uid == null ? "" : uid));
        }
        return out;
    }
}

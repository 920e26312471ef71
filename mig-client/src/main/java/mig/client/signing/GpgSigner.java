package mig.client.signing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import mig.common.pgp.InvalidSignatureException;
import mig.common.pgp.PgpException;
import mig.common.pgp.PublicKey;
import mig.common.pgp.Signatures;

/**
 * Asks the user's own {@code gpg} to sign ({@code [gpg] usegpg = on}):
 * {@code gpg --detach-sign --armor --digest-algo SHA256 -u <keyid>}, data on stdin, armoured
 * signature on stdout. gpg talks to gpg-agent, so keys on smartcards or in a GnuPG 2.1+ keybox work
 * and the passphrase is asked by the user's pinentry, as with any other gpg use.
 *
 * <p>With {@code MIGPGPPASSPHRASE} set (scripts, the original's variable), the passphrase goes to gpg
 * on its stdin in loopback mode and the data in a private temporary file instead.
 *
 * @param gpg        the gpg program ({@code gpg}, or {@code $MIG_GPG})
 * @param homedir    {@code --homedir} when {@code [gpg] home} is set; gpg's default otherwise
 * @param keyId      fingerprint or key id of the signing key (gpg's {@code -u})
 * @param passphrase the {@code MIGPGPPASSPHRASE}, if given
 */
public record GpgSigner(String gpg, Optional<Path> homedir, String keyId, Optional<String> passphrase)
        implements Signer {

    private static final long TIMEOUT_SECONDS = 300; // a person may be typing a passphrase
    private static final Map<String, Optional<PublicKey>> EXPORTED = new ConcurrentHashMap<>();

    public GpgSigner {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("[gpg] usegpg needs [gpg] keyid: the fingerprint of your signing key");
        }
    }

    @Override
    public String sign(byte[] data) {
        List<String> cmd = new ArrayList<>(List.of(gpg));
        homedir.ifPresent(h -> cmd.addAll(List.of("--homedir", h.toString())));
        cmd.addAll(
                List.of("--detach-sign", "--armor", "--digest-algo", "SHA256", "--local-user", keyId, "--output", "-"));
        Path dataFile = null;
        try {
            byte[] stdin = data;
            if (passphrase.isPresent()) {
                dataFile = Files.createTempFile("mig-sign-", ".dat");
                Files.write(dataFile, data);
                cmd.addAll(1, List.of("--batch", "--pinentry-mode", "loopback", "--passphrase-fd", "0"));
                cmd.add(dataFile.toString());
                stdin = (passphrase.get() + "\n").getBytes(StandardCharsets.UTF_8);
            }
            return run(cmd, stdin);
        } catch (IOException e) {
            throw new SigningException(
                    "cannot run '" + gpg + "' to sign with key " + keyId + ": " + e.getMessage()
                            + " (is GnuPG installed? set MIG_GPG to its path)",
                    e);
        } finally {
            if (dataFile != null) {
                try {
                    Files.deleteIfExists(dataFile);
                } catch (IOException e) {
                    // a temporary file of public data; nothing secret is left behind
                }
            }
        }
    }

    private String run(List<String> cmd, byte[] stdin) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        Thread errPump = pump(p.getErrorStream(), errors);
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        }
        byte[] out;
        try (InputStream o = p.getInputStream()) {
            out = o.readAllBytes();
        }
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SigningException(
                        "gpg did not sign with key " + keyId + " within " + TIMEOUT_SECONDS + " s", null);
            }
            errPump.join(1000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SigningException("interrupted while gpg was signing with key " + keyId, e);
        }
        String err = errors.toString(StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new SigningException(
                    "gpg could not sign with key " + keyId + " (exit " + p.exitValue() + "): " + lastLine(err)
                            + hint(err),
                    null);
        }
        String sig;
        try {
            sig = Signatures.fromArmored(new String(out, StandardCharsets.UTF_8));
        } catch (InvalidSignatureException e) {
            throw new SigningException("gpg's output is not an armoured signature: " + e.getMessage(), e);
        }
        // gpg, like RFC 4880, drops the leading zero bytes of an RSA value; original agents and APIs
        // (Go's x/crypto/openpgp) refuse 1 signature in 256 written that way
        Optional<PublicKey> key = publicKey();
        if (key.isPresent()) {
            try {
                return Signatures.fullLength(sig, key.get());
            } catch (InvalidSignatureException e) {
                return sig; // fromArmored has just checked it; keep gpg's bytes
            }
        }
        return sig;
    }

    /** The signing key as gpg exports it, asked once per gpg home and key. */
    private Optional<PublicKey> publicKey() {
        String cacheKey = gpg + "\0" + homedir.map(Path::toString).orElse("") + "\0" + keyId;
        return EXPORTED.computeIfAbsent(cacheKey, k -> {
            List<String> cmd = new ArrayList<>(List.of(gpg));
            homedir.ifPresent(h -> cmd.addAll(List.of("--homedir", h.toString())));
            cmd.addAll(List.of("--batch", "--export", "--armor", keyId));
            try {
                Process p = new ProcessBuilder(cmd)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                p.getOutputStream().close();
                byte[] armored;
                try (InputStream o = p.getInputStream()) {
                    armored = o.readAllBytes();
                }
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                return Optional.of(PublicKey.parse(new String(armored, StandardCharsets.UTF_8)));
            } catch (IOException | PgpException e) {
                return Optional.empty(); // the signature stays as gpg wrote it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        });
    }

    /** gpg reports problems on stderr; a pinentry that needs the terminal opens /dev/tty itself. */
    private static Thread pump(InputStream from, ByteArrayOutputStream to) {
        Thread t = new Thread(
                () -> {
                    try {
                        from.transferTo(to);
                    } catch (IOException e) {
                        // gpg exited; what was read is enough for the message
                    }
                },
                "gpg-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private String hint(String err) {
        if (err.contains("ioctl") || err.contains("pinentry") || err.contains("No pinentry")) {
            return " (gpg could not ask for the passphrase: run 'export GPG_TTY=$(tty)', or set MIGPGPPASSPHRASE)";
        }
        return " (check [gpg] keyid, and that 'gpg --list-secret-keys " + keyId + "' shows it)";
    }

    private static String lastLine(String text) {
        if (text.isEmpty()) {
            return "no message from gpg";
        }
        String[] lines = text.split("\n");
        return lines[lines.length - 1].strip();
    }

    @Override
    public String describe() {
        return "key " + keyId + " through " + gpg
                + homedir.map(h -> " --homedir " + h).orElse("");
    }
}

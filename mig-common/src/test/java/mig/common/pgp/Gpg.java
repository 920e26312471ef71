package mig.common.pgp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives the real gpg 2.2 binary in a throw-away home directory, so interop tests check what users
 * will actually run. {@link #close} kills the gpg-agent that gpg starts for the home directory.
 */
final class Gpg implements AutoCloseable {
    static final Path GPG = Path.of("/usr/bin/gpg");

    /** Result of one gpg run. */
    record Result(int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private final Path home;

    Gpg(Path home) {
        this.home = home;
        try {
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean available() {
        return Files.isExecutable(GPG);
    }

    Path home() {
        return home;
    }

    /** Runs gpg with --homedir, --batch and loopback pinentry; fails the test on timeout only. */
    Result run(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                GPG.toString(), "--homedir", home.toString(), "--batch", "--no-tty", "--pinentry-mode", "loopback"));
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(home, "out", ".bin");
            Path err = Files.createTempFile(home, "err", ".txt");
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("gpg timed out: " + cmd);
            }
            Result r = new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Like {@link #run} but the command must succeed. */
    Result ok(String... args) {
        Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("gpg " + String.join(" ", args) + " failed (" + r.exitCode() + "): " + r.stderr());
        }
        return r;
    }

    /** Generates a key without passphrase (or with one) and returns its primary fingerprint. */
    String quickGenKey(String uid, String algo, String passphrase) {
        ok("--passphrase", passphrase, "--quick-gen-key", uid, algo, "sign", "never");
        return fingerprintOf(uid);
    }

    String fingerprintOf(String uid) {
        for (String line : ok("--with-colons", "--list-keys", uid).out().split("\n")) {
            if (line.startsWith("fpr:")) {
                return line.split(":")[9];
            }
        }
        throw new AssertionError("no fingerprint listed for " + uid);
    }

    /** Every fingerprint (primary first, then subkeys) of a key, from --with-colons output. */
    List<String> allFingerprints(String uid) {
        List<String> fprs = new ArrayList<>();
        for (String line : ok("--with-colons", "--list-keys", uid).out().split("\n")) {
            if (line.startsWith("fpr:")) {
                fprs.add(line.split(":")[9]);
            }
        }
        return fprs;
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

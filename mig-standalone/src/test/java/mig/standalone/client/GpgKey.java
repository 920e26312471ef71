package mig.standalone.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mig.common.pgp.PgpException;
import mig.common.pgp.PublicKey;

/**
 * An investigator key that only the real {@code gpg} holds (GnuPG 2.1+: in gpg-agent, no secring),
 * in a throwaway home under /tmp (gpg-agent's socket path is length-limited). Closing stops the
 * agent and deletes the home.
 */
record GpgKey(Path home, String fingerprint) implements AutoCloseable {

    static GpgKey create() throws IOException, InterruptedException {
        Path home = Files.createTempDirectory(Path.of("/tmp"), "miggpg");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        gpg(
                home,
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
                "--quick-gen-key",
                "Gpg Investigator <gpg@example.net>",
                "rsa2048",
                "sign",
                "never");
        String fpr = gpg(home, "--batch", "--list-secret-keys", "--with-colons")
                .lines()
                .filter(l -> l.startsWith("fpr:"))
                .findFirst()
                .orElseThrow()
                .split(":")[9];
        return new GpgKey(home, fpr);
    }

    PublicKey publicKey() throws IOException, InterruptedException, PgpException {
        return PublicKey.parse(gpg(home, "--batch", "--export", "--armor", fingerprint));
    }

    private static String gpg(Path home, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", home.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("gpg " + String.join(" ", args) + " failed (is GnuPG installed?)");
        }
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor(10, TimeUnit.SECONDS);
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

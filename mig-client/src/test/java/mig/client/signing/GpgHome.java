package mig.client.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway GnuPG home with one signing key, made by the real {@code gpg} (2.1+: the key lives
 * with gpg-agent, not in a secring). Closing stops its agent and deletes it. The folder is short and
 * under /tmp because gpg-agent's socket path has a length limit.
 */
record GpgHome(Path home, String fingerprint) implements AutoCloseable {

    /** An RSA 2048 key (what the original's Go code can verify) unless {@code algo} says otherwise. */
    static GpgHome create(String passphrase) throws IOException, InterruptedException {
        return create(passphrase, "rsa2048");
    }

    static GpgHome create(String passphrase, String algo) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory(Path.of("/tmp"), "miggpg");
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        // no passphrase cache: each signature must be unlocked by what the signer gives gpg
        Files.writeString(
                home.resolve("gpg-agent.conf"), "default-cache-ttl 0\nmax-cache-ttl 0\nallow-loopback-pinentry\n");
        run(
                home,
                null,
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                passphrase == null ? "" : passphrase,
                "--quick-gen-key",
                "Gpg Investigator <gpg@example.net>",
                algo,
                "sign",
                "never");
        String colons = run(home, null, "--batch", "--list-secret-keys", "--with-colons");
        String fpr = colons.lines()
                .filter(l -> l.startsWith("fpr:"))
                .findFirst()
                .orElseThrow()
                .split(":")[9];
        return new GpgHome(home, fpr);
    }

    String exportPublic() throws IOException, InterruptedException {
        return run(home, null, "--batch", "--export", "--armor", fingerprint);
    }

    static String run(Path home, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", home.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("gpg " + String.join(" ", args) + " failed");
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

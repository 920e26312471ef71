package mig.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Manages vhosts of the local RabbitMQ with {@code rabbitmqctl}, for when the management plugin is
 * off (as on this project's machines). Every call boots an Erlang VM, about 0.3 s, so creation goes
 * through {@code import_definitions}: one call makes a whole batch of vhosts with their permissions
 * (measured 0.36 s for 4 on RabbitMQ 3.10). There is no batch delete; {@link VhostPool} deletes in
 * the background instead. It needs the Erlang cookie of the broker, i.e. running as root or as the
 * rabbitmq user.
 */
final class RabbitCtl implements VhostAdmin {

    private static final List<String> CANDIDATES =
            List.of("/usr/sbin/rabbitmqctl", "/usr/lib/rabbitmq/bin/rabbitmqctl", "/usr/local/sbin/rabbitmqctl");
    private static final long TIMEOUT_SECONDS = 30;

    private final String executable;
    private final String user;

    private RabbitCtl(String executable, String user) {
        this.executable = executable;
        this.user = user;
    }

    /** The rabbitmqctl found on PATH or in the usual places, granting vhosts to {@code user}. */
    static Optional<RabbitCtl> find(String user) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(
                        Stream.of(path.split(":"))
                                .filter(d -> !d.isEmpty())
                                .map(d -> Path.of(d, "rabbitmqctl").toString()),
                        CANDIDATES.stream())
                .filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst()
                .map(p -> new RabbitCtl(p, user));
    }

    @Override
    public String description() {
        return executable + " import_definitions";
    }

    @Override
    public int batchSize() {
        return 4;
    }

    @Override
    public void create(List<String> vhosts) throws IOException {
        String json = "{\"vhosts\":["
                + vhosts.stream().map(v -> "{\"name\":" + quote(v) + "}").collect(Collectors.joining(","))
                + "],\"permissions\":["
                + vhosts.stream()
                        .map(v -> "{\"user\":" + quote(user) + ",\"vhost\":" + quote(v)
                                + ",\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}")
                        .collect(Collectors.joining(","))
                + "]}";
        // From standard input: a file would be read by the broker's own user, not by us.
        run(json, "import_definitions");
    }

    @Override
    public void delete(String vhost) throws IOException {
        run("", "delete_vhost", vhost);
    }

    private void run(String input, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(executable, "-q"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed with exit code " + process.exitValue() + ": "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

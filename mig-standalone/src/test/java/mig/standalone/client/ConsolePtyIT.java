package mig.standalone.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mig.common.pgp.KeyGen;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mig-console} on a real pseudo-terminal (a private tmux server): Tab completion and
 * history, then an investigator's session: create an investigator, build an action with a file and
 * a netstat operation, launch it, and read its results in the action reader. Keys are sent as a
 * person types them; assertions read the screen as tmux renders it.
 */
class ConsolePtyIT {
    /** Long enough for a loaded 2-core machine; a step that works is seconds. */
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void anInvestigatorCreatesAnInvestigatorLaunchesATwoOperationActionAndReadsItsResults() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path aliceKey = Files.writeString(
                tmp.resolve("alice.asc"),
                KeyGen.rsa("Alice Pty <alice@example.net>", 2048).armoredPublicKey());
        Path quietLogs = Files.writeString(
                tmp.resolve("logback.xml"), "<configuration><root level=\"OFF\"/>" + "</configuration>");
        try (ClientPlatform p = ClientPlatform.start(tmp, List.of());
                Tmux tmux = Tmux.start(List.of(
                        "env",
                        "HOME=" + home,
                        "TERM=xterm-256color",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dlogback.configurationFile=" + quietLogs,
                        "-cp",
                        ClientToolsIT.classPath(),
                        "mig.client.console.ConsoleMain",
                        "-c",
                        p.migrc.toString()))) {
            tmux.await("mig> ");

            // Tab completes orders, search types and keys ("name=" waits for its value, no space)
            tmux.keys("sea", "Tab", "inv", "Tab", "where na", "Tab");
            tmux.type("eve");
            tmux.await("Default,PermAdmin");
            assertTrue(tmux.screen().contains("mig> search investigator where name=eve"), tmux.screen());

            tmux.type("create investigator");
            tmux.await("name> ");
            tmux.type("Alice Pty");
            tmux.type("no");
            tmux.type("no");
            tmux.type("no");
            tmux.await("Add a public key for the investigator? (yes/no)> ");
            tmux.type("yes");
            tmux.await("pubkey> ");
            tmux.type(aliceKey.toString());
            tmux.await("create investigator? (y/n)> ");
            tmux.type("y");
            Matcher created =
                    tmux.await(Pattern.compile("Investigator 'Alice Pty' successfully created with ID (\\d+)"));

            tmux.type("create action");
            tmux.await("launcher> ");
            tmux.type("setname pty file and netstat");
            tmux.type("settarget all");
            tmux.await("1 agents will be targetted");
            tmux.keys("addop", "Tab", "fi", "Tab", "Enter");
            tmux.await("file params> ");
            tmux.type("-path " + p.searchDir);
            tmux.type("name ^planted-ioc\\.txt$");
            tmux.type("done");
            tmux.await("Inserting file operation with parameters:");
            tmux.type("addoperation netstat");
            tmux.await("netstat params> ");
            tmux.type("-lp " + p.platform.apiPort());
            tmux.type("done");
            tmux.await("Inserting netstat operation with parameters:");
            tmux.type("launch");
            Matcher launched = tmux.await(
                    Pattern.compile("Action 'pty file and netstat' successfully launched with ID " + "'(\\d+)'"));
            String id = launched.group(1);
            tmux.await("action " + Long.parseLong(id) % 1000 + "> ");
            tmux.type("results found");
            tmux.await("1 agent has found results");
            String screen = tmux.screen();
            assertTrue(
                    screen.contains(p.agent.name() + " " + p.planted + " [lastmodified:2020-01-02 03:04:05 +0000 UTC,"
                            + " mode:-rw-r--r--, size:5] in search 's1'"),
                    screen);
            assertTrue(screen.contains(p.agent.name() + " found listening port " + p.platform.apiPort()), screen);
            assertTrue(screen.contains("1 sent, 1 done, 1 succeeded"), screen);
            tmux.type("exit");
            tmux.await(Pattern.compile("exit\\s+mig> \\s*$"));

            tmux.type("investigator " + created.group(1));
            tmux.await("Investigator " + created.group(1) + " named 'Alice Pty'");
            tmux.type("details");
            tmux.await("permissions    Default");
            tmux.type("exit");
            tmux.type("exit");
            tmux.awaitExit();
        }
        List<String> history = Files.readAllLines(home.resolve(".mig_history"), StandardCharsets.UTF_8);
        assertTrue(history.contains("search investigator where name=eve"), history.toString());
        assertTrue(history.contains("create action"), history.toString());
        assertEquals("exit", history.get(history.size() - 1), history.toString());
    }

    /** A private tmux server running one command in a 200x60 window. */
    private record Tmux(String socket) implements AutoCloseable {

        static Tmux start(List<String> command) throws IOException, InterruptedException {
            Tmux t = new Tmux("mig-pty-" + UUID.randomUUID().toString().substring(0, 8));
            List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", "c", "-x", "200", "-y", "60"));
            args.addAll(command);
            t.tmux(args);
            t.tmux(List.of("set-option", "-t", "c", "history-limit", "20000"));
            return t;
        }

        void type(String line) throws IOException, InterruptedException {
            tmux(List.of("send-keys", "-t", "c", "-l", "--", line));
            tmux(List.of("send-keys", "-t", "c", "Enter"));
        }

        /** Literal text, with tmux key names (Tab, Enter) sent as keys. */
        void keys(String... parts) throws IOException, InterruptedException {
            for (String part : parts) {
                if (part.equals("Tab") || part.equals("Enter")) {
                    tmux(List.of("send-keys", "-t", "c", part));
                    Thread.sleep(300); // let the completion be drawn before the next keys
                } else {
                    tmux(List.of("send-keys", "-t", "c", "-l", "--", part));
                }
            }
        }

        String screen() throws IOException, InterruptedException {
            return tmux(List.of("capture-pane", "-p", "-J", "-S", "-", "-t", "c"));
        }

        void await(String text) throws IOException, InterruptedException {
            await(Pattern.compile(Pattern.quote(text)));
        }

        Matcher await(Pattern pattern) throws IOException, InterruptedException {
            AtomicReference<String> last = new AtomicReference<>("");
            try {
                return Awaitility.await()
                        .atMost(WAIT)
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () -> {
                                    last.set(screen());
                                    Matcher m = pattern.matcher(last.get());
                                    return m.find() ? m : null;
                                },
                                Objects::nonNull);
            } catch (ConditionTimeoutException e) {
                // reported below, with the screen
            }
            String screen = last.get();
            // surefire cuts long messages: the whole screen goes to a file too
            Path dump = Path.of("target", "console-pty-screen.txt").toAbsolutePath();
            Files.writeString(dump, screen);
            throw new AssertionError("the console did not show /" + pattern + "/ within " + WAIT.toSeconds()
                    + " s (whole screen in " + dump + "); screen:\n" + screen);
        }

        void awaitExit() {
            Awaitility.await("the console exits after 'exit'")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Process p = new ProcessBuilder("tmux", "-L", socket, "has-session", "-t", "c")
                                .redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .start();
                        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() != 0;
                    });
        }

        private String tmux(List<String> args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
            cmd.addAll(args);
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException("cannot run tmux (install it: apt-get install tmux): " + e.getMessage(), e);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            new ProcessBuilder("tmux", "-L", socket, "kill-server")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        }
    }
}

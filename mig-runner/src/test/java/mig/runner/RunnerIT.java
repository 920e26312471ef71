package mig.runner;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import mig.client.config.ClientContext;
import mig.client.config.MigRc;
import mig.common.Agent;
import mig.common.Command;
import mig.common.Permission;
import mig.common.acl.Acl;
import mig.common.json.GoJson;
import mig.common.pgp.KeyGen;
import mig.common.pgp.Keyring;
import mig.database.AgentStore;
import mig.database.DbConfig;
import mig.database.InvestigatorStore;
import mig.standalone.Platform;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * mig-runner against the whole platform (API, scheduler, agent on a private database and vhost):
 * an "hourly" file search, its schedule shortened to every 15 seconds (each action valid 30 s), runs again and again with
 * the runner's passphrase-protected key; its results are stored under the runner folder and the
 * jsonlines plugin turns them into one JSON object per finding. Beside it, two jobs whose plugins
 * attack the runner, one crashing and one hanging with a child process, and the hourly job must go
 * on regardless.
 */
@ExtendWith(MigServices.class)
class RunnerIT {
    @TempDir
    Path tmp;

    @Test
    void anHourlyJobRunsAgainAndAgainAndItsFindingsBecomeJsonLinesWhateverOtherPluginsDo(
            TestDatabase tdb, TestBroker broker) throws Exception {
        char[] passphrase = "runner secret".toCharArray();
        KeyGen.Generated key = KeyGen.rsa("MIG Runner <runner@example.net>", 2048, passphrase);
        Acl acl = Acl.parse("{\"default\":{\"minimumweight\":1,\"investigators\":{\"runner\":{\"fingerprint\":\""
                + key.fingerprint() + "\",\"weight\":1}}}}");
        Path searchDir = Files.createDirectories(tmp.resolve("search"));
        Path planted = Files.writeString(searchDir.resolve("planted-ioc.txt"), "evil\n");
        Files.writeString(searchDir.resolve("innocent.txt"), "fine\n");

        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger("mig-runner")).addAppender(logs);

        try (Platform platform = Platform.start(new Platform.Settings(
                DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 8),
                broker.uri(),
                0,
                Keyring.of(List.of(key.secretKey().publicKey())),
                acl,
                Files.createDirectories(tmp.resolve("agent-run")),
                Duration.ofSeconds(30),
                true))) {
            new InvestigatorStore(platform.database().dataSource())
                    .create(
                            "mig-runner",
                            key.fingerprint(),
                            key.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                            Permission.toMask(Permission.DEFAULT),
                            Instant.now());
            AgentStore agents = new AgentStore(platform.database().dataSource());
            Agent agent = await("the agent registered")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> agents.targeted("status='online'", 0), a -> !a.isEmpty())
                    .get(0);

            Path keyFile = Files.writeString(tmp.resolve("runner.asc"), key.armoredSecretKey());
            Path migrc = Files.writeString(
                    tmp.resolve("migrc"),
                    "[api]\n    url = \"" + platform.apiUrl() + "\"\n" + "[gpg]\n    secretkey = \"" + keyFile
                            + "\"\n    keyid = " + key.fingerprint() + "\n");
            Path dir = tmp.resolve("runner");
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            String cp = Optional.ofNullable(System.getProperty("surefire.test.class.path"))
                    .orElse(System.getProperty("java.class.path"));
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // the shipped plugin's main class, with this test's class path in place of the built jars
            executable(
                    plugins.resolve("jsonlines"),
                    "#!/bin/sh\nexec '" + java + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                            + " -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp '" + cp
                            + "' mig.runner.plugin.JsonLinesPlugin\n");
            // attack 1: reads a little, then dies of a signal
            executable(
                    plugins.resolve("crash"),
                    "#!/bin/sh\nhead -c 16 >/dev/null\necho about to crash >&2\n" + "kill -SEGV $$\n");
            // attack 2: never reads, never ends, and leaves a child that would outlive it
            Path childPid = tmp.resolve("hang-child.pid");
            executable(plugins.resolve("hang"), "#!/bin/sh\nsleep 600 &\necho $! > '" + childPid + "'\nwait\n");
            Files.writeString(plugins.resolve("README"), "not a plugin\n");

            String action = "{\"name\":\"planted ioc\",\"target\":\"status='online'\","
                    + "\"description\":{\"author\":\"Runner\",\"email\":\"runner@example.net\",\"revision\":1},"
                    + "\"threat\":{\"level\":\"info\",\"family\":\"test\"},"
                    + "\"operations\":[{\"module\":\"file\",\"parameters\":{\"searches\":{\"s1\":{\"paths\":[\""
                    + searchDir + "\"],\"names\":[\"^planted-ioc\\\\.txt$\"]}}}}],\"syntaxversion\":2}";
            job(dir, "hourly", "*/15 * * * * * *", "jsonlines", action);
            job(dir, "crashing", "*/15 * * * * * *", "crash", action);
            job(dir, "hanging", "*/15 * * * * * *", "hang", action);
            Files.createDirectories(dir.resolve("runners/broken"));
            Files.writeString(dir.resolve("runners/broken/entity.cfg"), "[configuration]\nschedule = \"61 * * * *\"\n");

            Path cfgFile = Files.writeString(
                    tmp.resolve("runner.cfg"),
                    "[runner]\n    directory = \"" + dir + "\"\n    checkdirectory = 1\n"
                            + "    plugintimeout = \"20s\"\n"
                            + "[client]\n    clientconfpath = \"" + migrc + "\"\n    delayresults = \"1s\"\n"
                            + "    passphrase = \"runner secret\"\n");
            RunnerConfig cfg = RunnerConfig.read(cfgFile);
            assertEquals(Optional.of("runner secret"), cfg.passphrase());
            ClientContext client = new ClientContext(
                    MigRc.read(cfg.clientConf()), "mig-runner", null, Clock.systemUTC(), cfg.passphrase());
            Path findings = dir.resolve("findings.jsonl");
            try (Runner runner = new Runner(cfg, client, Clock.systemUTC(), Duration.ofSeconds(1))) {
                runner.start();
                await("the jobs are scheduled")
                        .atMost(Duration.ofSeconds(30))
                        .until(runner::jobs, j -> j.equals(Set.of("hourly", "crashing", "hanging")));

                await("the hanging plugin is killed and the crashing one has crashed")
                        .atMost(Duration.ofMinutes(3))
                        .until(() -> logged(logs, "hang: killed, still running after 20s (plugintimeout)")
                                && logged(logs, "crash: exit status 139"));
                long childOfHang = Long.parseLong(Files.readString(childPid).strip());
                await("the hanging plugin's child is gone too")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> ProcessHandle.of(childOfHang)
                                .map(h -> !h.isAlive())
                                .orElse(true));
                Set<Long> before = actionIds(findings);
                await("the hourly job ran again after the attacks and its findings were written")
                        .atMost(Duration.ofMinutes(3))
                        .until(() -> !actionIds(findings).stream()
                                .filter(id -> !before.contains(id))
                                .toList()
                                .isEmpty());
            }

            List<String> lines = Files.readAllLines(findings);
            Set<Long> ids = actionIds(findings);
            assertTrue(ids.size() >= 2, "two or more runs of the hourly job: " + lines);
            for (String line : lines) {
                JsonNode o = GoJson.tree(line);
                assertEquals("finding", o.get("type").asText(), line);
                assertEquals("hourly", o.get("job").asText(), line);
                assertEquals("mig-runner: hourly", o.get("actionname").asText(), line);
                assertEquals(agent.name(), o.get("agent").asText(), line);
                assertEquals(agent.id(), o.get("agentid").asLong(), line);
                assertEquals("file", o.get("module").asText(), line);
                assertEquals("success", o.get("status").asText(), line);
                assertTrue(o.get("finding").asText().startsWith(planted + " [lastmodified:"), line);
                assertTrue(o.get("finding").asText().contains("] in search 's1'"), line);
            }
            // one finding per run: the innocent file is never reported
            assertEquals(ids.size(), lines.size(), String.join("\n", lines));

            // every run's results are stored under the runner folder, whatever its plugin did
            for (String job : List.of("hourly", "crashing", "hanging")) {
                List<Path> stored = stored(dir.resolve("runners").resolve(job).resolve("results"));
                assertFalse(stored.isEmpty(), job + " has stored results");
                for (Path p : stored) {
                    RunnerResult r = GoJson.unmarshal(Files.readAllBytes(p), RunnerResult.class);
                    assertEquals(job, r.entityName());
                    assertEquals(p.getFileName().toString(), r.action().id() + ".json");
                    assertTrue(p.getParent().getFileName().toString().matches("20\\d{6}"), p.toString());
                    assertEquals(1, r.commands().size(), p.toString());
                    Command c = r.commands().get(0);
                    assertEquals("success", c.status());
                    assertTrue(c.results().get(0).foundAnything());
                }
            }
            for (long id : ids) {
                assertTrue(Files.exists(dir.resolve("runners/hourly/results")
                        .resolve(dayOf(dir, id))
                        .resolve(id + ".json")));
            }
            assertTrue(logged(logs, "broken: "), "the broken job is reported");
            assertTrue(logged(logs, "jsonlines: jsonlines: 1 findings written to " + findings));
            assertFalse(logged(logs, "jsonlines: exit status"), "the jsonlines plugin never failed");
            assertTrue(logged(logs, "plugins: skipping README (not executable)"));
        } finally {
            ((Logger) LoggerFactory.getLogger("mig-runner")).detachAppender(logs);
        }
    }

    private static String dayOf(Path dir, long id) throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("runners/hourly/results"))) {
            return s.filter(p -> p.getFileName().toString().equals(id + ".json"))
                    .findFirst()
                    .map(p -> p.getParent().getFileName().toString())
                    .orElse("missing");
        }
    }

    private static List<Path> stored(Path results) throws IOException {
        if (!Files.isDirectory(results)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(results)) {
            return s.filter(p -> p.getFileName().toString().matches("\\d+\\.json"))
                    .toList();
        }
    }

    private static Set<Long> actionIds(Path findings) throws IOException {
        Set<Long> ids = new TreeSet<>();
        if (!Files.exists(findings)) {
            return ids;
        }
        for (String line : Files.readAllLines(findings)) {
            ids.add(GoJson.tree(line).get("actionid").asLong());
        }
        return ids;
    }

    private static boolean logged(ListAppender<ILoggingEvent> logs, String text) {
        List<ILoggingEvent> copy;
        synchronized (logs) {
            copy = new ArrayList<>(logs.list);
        }
        return copy.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }

    private static void job(Path dir, String name, String schedule, String plugin, String action) throws IOException {
        Path d = Files.createDirectories(dir.resolve("runners").resolve(name));
        Files.writeString(d.resolve("action.json"), action);
        Files.writeString(
                d.resolve("entity.cfg"),
                "[configuration]\n    schedule = \"" + schedule + "\"\n    plugin = \"" + plugin + "\"\n"
                        + "    expiry = \"30s\"\n");
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

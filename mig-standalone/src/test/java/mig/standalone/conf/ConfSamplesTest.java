package mig.standalone.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mig.agent.config.AgentConfig;
import mig.agent.config.AgentConfigFile;
import mig.api.ApiConfig;
import mig.client.config.MigRc;
import mig.common.acl.Acl;
import mig.common.acl.AclException;
import mig.common.target.TargetQuery;
import mig.common.target.TargetSyntaxException;
import mig.modules.HasParamsParser;
import mig.modules.Modules;
import mig.modules.ParameterException;
import mig.scheduler.config.SchedulerConfigFile;
import org.junit.jupiter.api.Test;

/**
 * The sample files of {@code conf/} are what an operator copies to {@code /etc/mig}: each must load
 * with the reader of the component it configures and say what its comments say. The systemd units
 * must start launchers that exist. And every {@code mig} command the docs show must be one that
 * runs: its target compiles and its module flags parse.
 */
class ConfSamplesTest {

    /** {@code conf/} of the source tree; tests run in the module's folder. */
    static final Path CONF = Path.of("..", "conf").toAbsolutePath().normalize();

    static final Path DOCS = CONF.resolveSibling("docs");

    static final String BOB = "E60892BB9BD89A69F759A1A0A3D652173B763E8F";
    static final String SAM = "FA5D79F95F7AF7097C3E83DA26A86D5E5885AC11";

    @Test
    void apiSampleLoadsWithTheApisReader() {
        ApiConfig c = ApiConfig.load(CONF.resolve("api.cfg"));

        assertEquals("127.0.0.1", c.ip());
        assertEquals(1664, c.port());
        assertEquals("http://localhost:1664", c.host());
        assertEquals("/api/v1", c.baseRoute());
        assertTrue(c.authEnabled(), "the sample must not ship with authentication off");
        assertEquals(Duration.ofMinutes(10), c.tokenDuration());
        assertEquals(2, c.requiredSignatures());
        assertEquals(
                "jdbc:postgresql://127.0.0.1:5432/mig?sslmode=disable",
                c.postgres().jdbcUrl());
        assertEquals("migapi", c.postgres().user());
        assertEquals("stdout", c.logging().mode());
    }

    @Test
    void schedulerSampleLoadsWithTheSchedulersReader() {
        SchedulerConfigFile f = SchedulerConfigFile.read(CONF.resolve("scheduler.cfg"));

        assertEquals(Duration.ofMinutes(20), f.scheduler().agentTimeout());
        assertEquals(Duration.ofMinutes(5), f.scheduler().heartbeatFreq());
        assertEquals(Optional.empty(), f.scheduler().whitelist());
        assertTrue(f.scheduler().detectMultiAgents());
        assertFalse(f.scheduler().killDupAgents());
        assertEquals(Duration.ofSeconds(5), f.scheduler().pollFreq());
        assertEquals(Duration.ofSeconds(87), f.scheduler().periodicFreq());
        assertEquals("migscheduler", f.postgres().user());
        assertEquals("amqp://scheduler@127.0.0.1:5672/mig", f.mq().toString());
        assertFalse(f.mq().useTls());
    }

    @Test
    void schedulerSampleShowsEveryKeyTheReaderKnows() throws IOException {
        Map<String, Set<String>> shown = keysShown(Files.readString(CONF.resolve("scheduler.cfg")));
        List<String> missing = new ArrayList<>();
        SchedulerConfigFile.KNOWN.forEach((section, keys) -> keys.forEach(k -> {
            if (!shown.getOrDefault(section, Set.of()).contains(k)) {
                missing.add("[" + section + "] " + k);
            }
        }));
        assertEquals(List.of(), missing, "keys of scheduler.cfg that conf/scheduler.cfg neither sets nor shows");
    }

    @Test
    void agentSampleLoadsWithTheAgentsReaderAndPointsAtTheSampleApi() {
        AgentConfig agent = AgentConfigFile.read(CONF.resolve("mig-agent.cfg"));
        ApiConfig api = ApiConfig.load(CONF.resolve("api.cfg"));

        assertEquals(api.host() + api.baseRoute() + "/", agent.api());
        assertTrue(agent.relay().startsWith("amqp://"), agent.relayForDisplay());
        assertTrue(
                agent.heartbeatFreq().toSeconds() > 0 && agent.moduleTimeout().toSeconds() > 0);
    }

    @Test
    void aclSampleLetsOneInvestigatorRunFileButMemoryNeedsTwo() throws IOException {
        Acl acl = Acl.parse(Files.readString(CONF.resolve("acl.cfg")));

        acl.checkAll(List.of("file", "netstat"), List.of(BOB));
        acl.checkAll(List.of("memory"), List.of(SAM, BOB));
        AclException e = assertThrows(AclException.class, () -> acl.checkAll(List.of("memory"), List.of(BOB)));
        assertEquals(
                "permission denied for operation memory, insufficient signatures weight (need 2, got 1)",
                e.getMessage());
        assertThrows(
                AclException.class,
                () -> acl.checkAll(List.of("file"), List.of("0000000000000000000000000000000000000000")));
    }

    @Test
    void migrcSampleReadsWithTheClientsReader() {
        MigRc rc = MigRc.read(CONF.resolve("migrc"));

        assertEquals("https://api.mig.example.net/api/v1/", rc.apiUrl());
        assertFalse(rc.skipVerifyCert());
        assertEquals(Optional.of(Path.of("/home/bob/.gnupg/")), rc.gpgHome());
        assertEquals(BOB, rc.keyId());
        assertEquals(Optional.empty(), rc.secretKeyFile(), "the original client refuses secretkey: keep it commented");
        assertFalse(rc.useGpg(), "the original client refuses usegpg: keep it commented");
        assertEquals("status='online'", rc.macros().get("all"));
        assertEquals(
                "status='online' AND environment->>'os'='linux'", rc.macros().get("linux"));
    }

    @Test
    void systemdUnitsRunLaunchersOfThisTreeWithTheirSampleConfiguration() throws IOException {
        for (String tool : List.of("mig-api", "mig-scheduler")) {
            String unit = Files.readString(CONF.resolve(tool + ".service"));
            Matcher m = Pattern.compile("(?m)^ExecStart=/opt/mig/bin/(\\S+) -c /etc/mig/(\\S+)$")
                    .matcher(unit);
            assertTrue(m.find(), tool + ".service must start /opt/mig/bin/<tool> -c /etc/mig/<file>");
            assertEquals(tool, m.group(1));
            assertTrue(Files.isExecutable(CONF.resolveSibling("bin").resolve(m.group(1))), "bin/" + m.group(1));
            assertTrue(Files.isRegularFile(CONF.resolve(m.group(2))), "conf/" + m.group(2));
            assertTrue(unit.contains("\nRestart=on-failure\n"), tool + ".service restarts on failure");
            assertTrue(unit.contains("\nUser=mig\n"), tool + ".service runs as mig");
            assertFalse(unit.contains("MemoryDenyWriteExecute=yes"), "the JVM's JIT needs writable code memory");
        }
    }

    @Test
    void migrcSampleMacrosAreTargetsTheSchedulerAccepts() {
        MigRc.read(CONF.resolve("migrc")).macros().forEach((name, target) -> TargetQuery.agentsSql(target));
    }

    @Test
    void everyMigCommandOfTheDocsHasATargetThatCompilesAndFlagsThatParse() throws IOException {
        Map<String, String> macros = MigRc.read(CONF.resolve("migrc")).macros();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path doc : List.of(
                DOCS.resolve("cheatsheet.md"),
                DOCS.resolve("modules.md"),
                DOCS.resolve("quickstart.md"),
                CONF.resolveSibling("README.md"))) {
            String text = Files.readString(doc);
            // files the docs check (.ci/docs-examples.sh) writes before running the examples
            Set<String> written = new java.util.HashSet<>();
            Matcher before = Pattern.compile("(?m)^before .*> (\\S+)$").matcher(text);
            while (before.find()) {
                written.add(before.group(1));
            }
            for (String line : shellLines(text)) {
                List<String> words = ShellWords.split(line);
                if (words.isEmpty() || !words.get(0).matches("(bin/)?mig")) {
                    continue;
                }
                String found = check(words.subList(1, words.size()), macros);
                String problem = found;
                if (found != null
                        && written.stream().anyMatch(f -> found.equals("open " + f + ": no such file or directory"))) {
                    problem = null; // the flags parsed up to reading a file the examples' check writes first
                }
                if (problem != null) {
                    problems.add(doc.getFileName() + ": " + line + "\n    " + problem);
                }
                checked++;
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked >= 40, "only " + checked + " mig commands found in the docs");
    }

    @Test
    void everyTargetOfTheConceptsTableCompiles() throws IOException {
        String concepts = Files.readString(DOCS.resolve("concepts.md"));
        String table = concepts.substring(concepts.indexOf("## Targets"), concepts.indexOf("**A target is data"));
        Matcher cell = Pattern.compile("(?m)^\\| (`.+?`) \\|").matcher(table);
        int n = 0;
        while (cell.find()) {
            for (String t : cell.group(1).split("`, `")) {
                TargetQuery.agentsSql(t.replace("`", ""));
                n++;
            }
        }
        assertTrue(n >= 9, "targets found in the table: " + n);
    }

    static final Set<String> GLOBAL_STRING_FLAGS =
            Set.of("c", "e", "i", "n", "show", "t", "target-found", "target-notfound", "render");
    static final Set<String> GLOBAL_BOOL_FLAGS = Set.of("p", "s", "v", "V", "z", "nocountdown");

    /** Why {@code mig <args>} would not run, or null: the client's argument rule, then target and flags. */
    static String check(List<String> args, Map<String, String> macros) {
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("-i")) {
            return null;
        }
        String module = args.get(0);
        Optional<HasParamsParser> parser =
                Modules.get(module).filter(HasParamsParser.class::isInstance).map(HasParamsParser.class::cast);
        if (parser.isEmpty()) {
            return "no module '" + module + "' with command-line flags";
        }
        if (args.size() > 1 && args.get(1).equals("help")) {
            return null;
        }
        String target = "status='online'";
        String chain = null;
        int i = 1;
        while (i < args.size() && args.get(i).startsWith("-")) {
            String flag = args.get(i).substring(1);
            if (GLOBAL_BOOL_FLAGS.contains(flag)) {
                i++;
            } else if (GLOBAL_STRING_FLAGS.contains(flag) && i + 1 < args.size()) {
                String value = args.get(i + 1);
                if (flag.equals("t")) {
                    target = macros.getOrDefault(value, value);
                } else if (flag.startsWith("target-")) {
                    chain = "id IN (select agentid from commands, json_array_elements(commands.results) as r "
                            + "where actionid=" + value + " and r#>>'{foundanything}' = 'true') AND ";
                }
                i += 2;
            } else {
                break;
            }
        }
        try {
            if (!target.equals("local")) {
                TargetQuery.agentsSql((chain == null ? "" : chain) + "(" + target + ")");
            }
            parser.get().parseArgs(args.subList(i, args.size()));
            return null;
        } catch (TargetSyntaxException | ParameterException e) {
            return e.getMessage();
        }
    }

    /** The lines of the {@code sh} code blocks of a Markdown text. */
    static List<String> shellLines(String markdown) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                in = !in && line.strip().equals("```sh");
                continue;
            }
            if (in) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    /** Splits a shell command line as sh would for these examples: quotes, backslashes, comments, redirection. */
    static final class ShellWords {
        static List<String> split(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder w = null;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (w == null && (c == ' ' || c == '\t')) {
                    continue;
                }
                if (w == null && (c == '#' || c == '>' || c == '|' || c == ';' || c == '&')) {
                    break;
                }
                if (w == null) {
                    w = new StringBuilder();
                }
                if (c == ' ' || c == '\t') {
                    words.add(w.toString());
                    w = null;
                } else if (c == '\'') {
                    int end = line.indexOf('\'', i + 1);
                    w.append(line, i + 1, end);
                    i = end;
                } else if (c == '"') {
                    for (i++; line.charAt(i) != '"'; i++) {
                        if (line.charAt(i) == '\\' && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                            i++;
                        }
                        w.append(line.charAt(i));
                    }
                } else if (c == '\\' && i + 1 < line.length()) {
                    w.append(line.charAt(++i));
                } else {
                    w.append(c);
                }
            }
            if (w != null) {
                words.add(w.toString());
            }
            return words;
        }
    }

    /** Keys set ({@code key = v}) or shown commented out ({@code ;key = v}), by section. */
    static Map<String, Set<String>> keysShown(String text) {
        Map<String, Set<String>> out = new HashMap<>();
        String section = "";
        Pattern header = Pattern.compile("^\\[([a-z]+)\\]");
        Pattern key = Pattern.compile("^[;#]?\\s*([a-z]+)\\s*=");
        for (String line : text.split("\n")) {
            String l = line.strip();
            Matcher h = header.matcher(l);
            if (h.find()) {
                section = h.group(1);
                continue;
            }
            Matcher k = key.matcher(l);
            if (k.find()) {
                out.computeIfAbsent(section, s -> new HashSet<>()).add(k.group(1));
            }
        }
        return out;
    }
}

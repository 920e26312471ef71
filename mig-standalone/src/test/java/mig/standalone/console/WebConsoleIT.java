package mig.standalone.console;

import static mig.standalone.console.ConsolePage.acl;
import static mig.standalone.console.ConsolePage.assertContains;
import static mig.standalone.console.ConsolePage.awaitActionDone;
import static mig.standalone.console.ConsolePage.awaitAgent;
import static mig.standalone.console.ConsolePage.awaitDownload;
import static mig.standalone.console.ConsolePage.awaitReady;
import static mig.standalone.console.ConsolePage.browser;
import static mig.standalone.console.ConsolePage.fillFileSearch;
import static mig.standalone.console.ConsolePage.investigators;
import static mig.standalone.console.ConsolePage.loadKeyFile;
import static mig.standalone.console.ConsolePage.openLauncher;
import static mig.standalone.console.ConsolePage.paste;
import static mig.standalone.console.ConsolePage.register;
import static mig.standalone.console.ConsolePage.root;
import static mig.standalone.console.ConsolePage.shot;
import static mig.standalone.console.ConsolePage.signInWithKey;
import static mig.standalone.console.ConsolePage.signinError;
import static mig.standalone.console.ConsolePage.start;
import static mig.standalone.console.ConsolePage.text;
import static mig.standalone.console.ConsolePage.waitFor;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mig.api.auth.ApiKeys;
import mig.common.Agent;
import mig.common.Investigator;
import mig.common.Permission;
import mig.common.pgp.KeyGen;
import mig.common.pgp.Signatures;
import mig.database.InvestigatorStore;
import mig.standalone.Platform;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (Debian's chromium, headless, driven by chromedriver), against the
 * whole platform (API, scheduler, broker, agent).
 *
 * <ul>
 *   <li>An investigator loads a passphrase-protected key into the page, launches a file investigation,
 *       sees the progress reach 100 % pushed by the server without reloading, reads the finding, and no
 *       request the browser made carries the secret key or its passphrase. Bad input first: a key that
 *       is no investigator's, a wrong passphrase, a token refused as expired (the page's clock two hours
 *       ahead), a target with a syntax error.
 *   <li>An administrator creates an investigator from an armoured public key file, changes their
 *       permissions (a misspelt one refused), disables and enables them (not the last administrator:
 *       refused) and issues them an API key, each checked in the database; with that key the
 *       investigator reads the dashboard, agents and actions, and is refused changing investigators
 *       and launching.
 *   <li>Under an ACL that needs two signers, an action signed in the page alone is refused by the agent;
 *       prepared, signed by a second investigator from the downloaded file (an armoured detached
 *       signature chosen as a file), it runs; its results are exported as JSON lines and CSV.
 * </ul>
 *
 * <p>Skipped, with the reason, where chromium or chromedriver is missing ({@code .ci/run} installs
 * them). {@code -Dmig.screenshots=<dir>} saves a screenshot of each view (docs/images).
 */
@ExtendWith(MigServices.class)
class WebConsoleIT {
    private static final String PASSPHRASE = "correct horse battery staple";
    private static final Set<Permission> ADMINISTRATOR = administrator();

    @TempDir
    Path tmp;

    @BeforeAll
    static void findBrowser() {
        ConsolePage.assumeBrowser();
    }

    private static Set<Permission> administrator() {
        EnumSet<Permission> perms = EnumSet.copyOf(Permission.DEFAULT);
        perms.addAll(Permission.ADMIN);
        return perms;
    }

    @Test
    void anInvestigatorLaunchesAFileSearchSignedInTheBrowserAndWatchesItFinish(TestDatabase tdb, TestBroker broker)
            throws Exception {
        KeyGen.Generated eve = KeyGen.rsa("Eve Investigator <eve@example.net>", 2048, PASSPHRASE.toCharArray());
        KeyGen.Generated stranger = KeyGen.rsa("Stranger <stranger@example.net>", 2048);
        Path searchDir = Files.createDirectories(tmp.resolve("search"));
        Path planted = Files.writeString(searchDir.resolve("planted-ioc.txt"), "evil\n");
        Files.writeString(searchDir.resolve("innocent.txt"), "fine\n");
        Path eveKey = Files.writeString(tmp.resolve("eve.asc"), eve.armoredSecretKey());

        try (Platform platform = start(tdb, broker, tmp, acl(1, Map.of("eve", eve)), List.of(eve))) {
            register(platform, "eve", eve, ADMINISTRATOR);
            Agent agent = awaitAgent(platform);
            String root = root(platform);

            WebDriver browser = browser(tmp);
            try {
                JavascriptExecutor js = (JavascriptExecutor) browser;
                browser.get(root + "/ui/");
                waitFor(browser, "#key-text");
                shot(browser, "console-signin");

                // a key the API does not know
                paste(browser, "#key-text", stranger.armoredSecretKey());
                browser.findElement(By.id("key-load")).click();
                assertContains(signinError(browser), "is not an investigator's key");

                // the right key, the wrong passphrase
                loadKeyFile(browser, eveKey, "wrong passphrase");
                assertContains(signinError(browser), "Wrong passphrase");

                // this computer's clock two hours ahead: the API refuses the token as expired
                js.executeScript("window.__now = Date.now; Date.now = () => window.__now() + 7200000;");
                loadKeyFile(browser, eveKey, PASSPHRASE);
                String expired = signinError(browser);
                assertContains(expired, "refused the token as expired");
                assertContains(expired, "Check this computer's clock");
                js.executeScript("Date.now = window.__now;");

                loadKeyFile(browser, eveKey, PASSPHRASE);
                awaitReady(browser, "dashboard");
                assertContains(text(browser, "#who"), eve.fingerprint());
                assertEquals("1", text(browser, "#agents-online .n"));
                shot(browser, "console-dashboard");

                // the launcher: a target with a syntax error is shown inline with its position
                openLauncher(browser, root);
                WebElement target = browser.findElement(By.id("launch-target"));
                target.clear();
                target.sendKeys("status='online' AND");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> text(browser, "#target-error").contains("position"));
                fillFileSearch(browser, agent, searchDir, "^planted-ioc\\.txt$");
                assertEquals("", text(browser, "#target-error"));
                shot(browser, "console-launch");
                js.executeScript("window.__sameDocument = true;");
                browser.findElement(By.id("launch")).click();

                // progress pushed by the server over the event stream, in the same document
                String results = awaitActionDone(browser);
                assertEquals(Boolean.TRUE, js.executeScript("return window.__sameDocument === true;"), "page reloaded");
                Number pushed =
                        (Number) js.executeScript("return window.migProgressLog.filter(e => e.done === 1).length;");
                assertTrue(pushed.intValue() >= 1, "the 100 % came from the event stream");
                assertContains(results, planted.toString());
                assertContains(results, agent.name());
                assertContains(results, "found");
                assertContains(results, "success");
                shot(browser, "console-action");

                for (String[] view : new String[][] {
                    {"#/agents", "agents", "console-agents"},
                    {"#/agent/" + agent.id(), "agent", "console-agent"},
                    {"#/actions", "actions", "console-actions"},
                    {"#/investigators", "investigators", "console-investigators"},
                    {"#/", "dashboard", "console-dashboard"}
                }) {
                    browser.get(root + "/ui/" + view[0]);
                    String first = await("the page")
                            .atMost(Duration.ofSeconds(60))
                            .until(
                                    () -> String.valueOf(js.executeScript("return document.body.dataset.ready || '';")),
                                    r -> !r.isEmpty());
                    if (first.equals("signin")) {
                        // a new document forgets the key, by design: load it again
                        loadKeyFile(browser, eveKey, PASSPHRASE);
                    }
                    awaitReady(browser, view[1]);
                    assertTrue(
                            browser.findElements(By.cssSelector("main .error")).stream()
                                    .allMatch(e -> e.getText().isEmpty()),
                            text(browser, "main"));
                    shot(browser, view[2]);
                }
                assertContains(text(browser, "main"), "Recent actions");

                assertNoRequestCarriesTheSecret(browser, eve);
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void anAdministratorCreatesAnInvestigatorChangesItAndIssuesAnApiKeyThatOnlyReads(
            TestDatabase tdb, TestBroker broker) throws Exception {
        KeyGen.Generated eve = KeyGen.rsa("Eve Administrator <eve@example.net>", 2048);
        KeyGen.Generated bob = KeyGen.rsa("Bob Reader <bob@example.net>", 2048);
        try (Platform platform = start(tdb, broker, tmp, acl(1, Map.of("eve", eve)), List.of(eve))) {
            long eveId = register(platform, "eve", eve, ADMINISTRATOR);
            Path bobPublicKey = Files.writeString(tmp.resolve("bob.asc"), bob.armoredPublicKey());
            InvestigatorStore store = investigators(platform);
            Agent agent = awaitAgent(platform);
            String root = root(platform);
            WebDriver browser = browser(tmp);
            try {
                signInWithKey(browser, root, eve);
                view(browser, "investigators");

                // a new investigator from the armoured public key file bob sent
                browser.findElement(By.id("new-investigator-name")).sendKeys("bob");
                browser.findElement(By.id("new-investigator-key-file")).sendKeys(bobPublicKey.toString());
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> value(browser, "#new-investigator-key")
                                .startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
                browser.findElement(By.id("new-investigator-create")).click();
                String created = investigatorMessage(browser);
                Investigator registered = store.byFingerprint(bob.fingerprint()).orElseThrow();
                long bobId = registered.id();
                assertEquals("Investigator bob created (id " + bobId + ").", created);
                assertEquals("bob", registered.name());
                assertEquals(Investigator.STATUS_ACTIVE, registered.status());
                assertEquals(Permission.DEFAULT, registered.permissions().toSet());
                awaitRow(browser, "bob", 4, bob.fingerprint());

                // bob only reads: action_create removed; a misspelt permission is refused first
                new Select(browser.findElement(By.id("permissions-investigator")))
                        .selectByVisibleText("bob (" + bobId + ")");
                WebElement names = browser.findElement(By.id("permissions-names"));
                assertContains(value(browser, "#permissions-names"), "action_create");
                names.clear();
                names.sendKeys("search action command agent dashbord");
                browser.findElement(By.id("permissions-save")).click();
                assertContains(investigatorMessage(browser), "unknown permission 'dashbord'");
                assertEquals(
                        Permission.DEFAULT,
                        store.get(bobId).orElseThrow().permissions().toSet());
                names.clear();
                names.sendKeys("search action command agent dashboard");
                browser.findElement(By.id("permissions-save")).click();
                awaitRow(browser, "bob", 5, "search action command agent dashboard");
                assertEquals(
                        EnumSet.of(
                                Permission.SEARCH,
                                Permission.ACTION,
                                Permission.COMMAND,
                                Permission.AGENT,
                                Permission.DASHBOARD),
                        store.get(bobId).orElseThrow().permissions().toSet());

                // the last administrator cannot disable herself: the API refuses, the page says why
                rowButton(browser, "eve", "Disable").click();
                assertContains(investigatorMessage(browser), "will not remove last admin");
                assertEquals("active", store.get(eveId).orElseThrow().status());

                rowButton(browser, "bob", "Disable").click();
                awaitRow(browser, "bob", 3, "disabled");
                assertEquals("disabled", store.get(bobId).orElseThrow().status());
                rowButton(browser, "bob", "Enable").click();
                awaitRow(browser, "bob", 3, "active");
                assertEquals("active", store.get(bobId).orElseThrow().status());

                rowButton(browser, "bob", "New API key").click();
                String shown = investigatorMessage(browser);
                assertContains(shown, "New API key for bob (shown once, copy it now): ");
                String apiKey = shown.substring(shown.lastIndexOf(' ') + 1);
                assertTrue(
                        store.activeApiKeysBySaltPrefix(ApiKeys.saltPrefix(apiKey)).stream()
                                .anyMatch(k -> k.id() == bobId && ApiKeys.matches(apiKey, k.salt(), k.hash())),
                        "bob's API key in the database is the one the page showed: " + apiKey);

                // bob, with that key instead of his PGP key: he reads, he cannot launch nor administer
                view(browser, "dashboard");
                browser.findElement(By.id("signout")).click();
                waitFor(browser, "#signin:not([hidden])");
                browser.findElement(By.id("apikey")).sendKeys("not-" + apiKey);
                browser.findElement(By.id("apikey-use")).click();
                assertContains(signinError(browser), "The API key was refused");
                browser.findElement(By.id("apikey")).sendKeys(apiKey);
                browser.findElement(By.id("apikey-use")).click();
                awaitReady(browser, "dashboard");
                assertEquals("API key: read only", text(browser, "#who"));
                assertEquals("1", text(browser, "#agents-online .n"));
                view(browser, "agents");
                assertContains(text(browser, "#agent-results"), agent.name());
                view(browser, "actions");
                assertContains(text(browser, "main"), "Launch a new action");

                // the list is a search (the search permission, as for the mig client); changes are refused
                view(browser, "investigators");
                rowButton(browser, "eve", "Disable").click();
                assertContains(
                        investigatorMessage(browser),
                        "Your investigator lacks the permission for this: Insufficient permissions");
                view(browser, "dashboard");
                view(browser, "investigators");
                rowButton(browser, "bob", "New API key").click();
                assertContains(investigatorMessage(browser), "Insufficient permissions");
                assertEquals("active", store.get(eveId).orElseThrow().status());
                assertEquals(
                        List.of(bobId),
                        store.activeApiKeysBySaltPrefix(ApiKeys.saltPrefix(apiKey)).stream()
                                .map(InvestigatorStore.ApiKeyRow::id)
                                .toList(),
                        "bob's API key is still the one issued by eve");

                view(browser, "launch");
                fillFileSearch(browser, agent, tmp, "^nothing$");
                browser.findElement(By.id("launch")).click();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !text(browser, "#launch-error").isEmpty());
                assertEquals(
                        "Launching needs your investigator key: an API key can only read.",
                        text(browser, "#launch-error"));
                assertEquals("0", selectOne(platform, "SELECT count(*) FROM actions"), "an action was created");
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void aSecondInvestigatorsSignatureFromAFileLetsTheAgentRunTheActionAndItsResultsAreExported(
            TestDatabase tdb, TestBroker broker) throws Exception {
        KeyGen.Generated eve = KeyGen.rsa("Eve Investigator <eve@example.net>", 2048);
        KeyGen.Generated bob = KeyGen.rsa("Bob Investigator <bob@example.net>", 2048);
        Path searchDir = Files.createDirectories(tmp.resolve("search"));
        // a name with a comma and quotes, which the CSV export must quote
        Path planted = Files.writeString(searchDir.resolve("planted \"ioc\", v2.txt"), "evil\n");
        Files.writeString(searchDir.resolve("innocent.txt"), "fine\n");
        String names = "^planted \"ioc\", v2\\.txt$";
        // the agent runs an action only with both signatures
        try (Platform platform = start(tdb, broker, tmp, acl(2, Map.of("eve", eve, "bob", bob)), List.of(eve, bob))) {
            register(platform, "eve", eve, Permission.DEFAULT);
            register(platform, "bob", bob, Permission.DEFAULT);
            Agent agent = awaitAgent(platform);
            String root = root(platform);
            WebDriver browser = browser(tmp);
            try {
                signInWithKey(browser, root, eve);

                // eve's signature alone: the API takes the action, the agent refuses to run it
                openLauncher(browser, root);
                fillFileSearch(browser, agent, searchDir, names);
                browser.findElement(By.id("launch")).click();
                String refused = awaitActionDone(browser);
                assertContains(refused, "failed");
                assertContains(refused, "insufficient signatures weight (need 2, got 1)");
                assertFalse(refused.contains(planted.toString()), refused);

                // a second signature without a prepared action is refused in the page
                openLauncher(browser, root);
                fillFileSearch(browser, agent, searchDir, names);
                browser.findElement(By.cssSelector("#launch-form details summary"))
                        .click();
                browser.findElement(By.id("second-signature")).sendKeys("not prepared");
                browser.findElement(By.id("launch")).click();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !text(browser, "#launch-error").isEmpty());
                assertContains(text(browser, "#launch-error"), "press \"Prepare\" first");
                browser.findElement(By.id("second-signature")).clear();

                // prepared: bob signs the downloaded file with gpg's armoured detached signature
                browser.findElement(By.id("prepare")).click();
                String toSign = awaitDownload(tmp, "action-to-sign.txt");
                assertTrue(
                        toSign.startsWith("name=file from the web console;target=name='" + agent.name() + "';"),
                        toSign);
                assertContains(text(browser, "#prepared"), toSign);
                String bobSignature = Signatures.sign(toSign.getBytes(StandardCharsets.UTF_8), bob.secretKey());
                Path signature =
                        Files.writeString(tmp.resolve("action-to-sign.txt.asc"), Signatures.toArmored(bobSignature));
                browser.findElement(By.id("second-signature-file")).sendKeys(signature.toString());
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> value(browser, "#second-signature").startsWith("-----BEGIN PGP SIGNATURE-----"));
                browser.findElement(By.id("launch")).click();
                String results = awaitActionDone(browser);
                assertContains(results, "success");
                assertContains(results, "found");
                assertContains(results, planted.toString());
                assertContains(text(browser, "main dl"), "eve, bob");

                // both signatures sent in MIG's one-line form (the original's agents read no armour)
                String actionId = browser.getCurrentUrl().replaceFirst(".*#/action/", "");
                JsonNode sent = new ObjectMapper()
                        .readTree(selectOne(
                                platform, "SELECT pgpsignatures FROM actions WHERE id = ?", Long.parseLong(actionId)));
                assertEquals(2, sent.size(), sent.toString());
                assertEquals(bobSignature, sent.get(1).asText());

                // the exports of that action's results
                browser.findElement(By.id("export-jsonl")).click();
                String jsonl = awaitDownload(tmp, "action-" + actionId + "-results.jsonl");
                assertTrue(jsonl.endsWith("\n"), jsonl);
                List<String> lines = jsonl.lines().toList();
                assertEquals(1, lines.size(), "one line per command: " + jsonl);
                JsonNode line = new ObjectMapper().readTree(lines.get(0));
                assertEquals(agent.name(), line.get("agent").asText());
                assertEquals(agent.id(), line.get("agentid").asLong());
                assertEquals("success", line.get("status").asText());
                assertTrue(line.get("found").asBoolean(), jsonl);
                assertEquals(
                        planted.toString(),
                        line.at("/results/0/elements/s1/0/file").asText(),
                        jsonl);

                browser.findElement(By.id("export-csv")).click();
                String csv = awaitDownload(tmp, "action-" + actionId + "-results.csv");
                List<List<String>> rows = parseCsv(csv);
                assertEquals(List.of("agent", "agentid", "commandid", "status", "found", "finding"), rows.get(0));
                assertEquals(2, rows.size(), "a header and one row per finding: " + csv);
                List<String> row = rows.get(1);
                assertEquals(
                        List.of(
                                agent.name(),
                                String.valueOf(agent.id()),
                                line.get("commandid").asText(),
                                "success",
                                "true"),
                        row.subList(0, 5),
                        csv);
                assertTrue(row.get(5).startsWith("s1: " + planted + " [size 5, mode "), row.get(5));
                assertContains(results, row.get(5));
                assertContains(csv, "\"s1: " + planted.toString().replace("\"", "\"\"") + " [size 5, mode ");
            } finally {
                browser.quit();
            }
        }
    }

    private void assertNoRequestCarriesTheSecret(WebDriver browser, KeyGen.Generated key) {
        List<String> requests = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.PERFORMANCE)) {
            String m = e.getMessage();
            if (m.contains("\"Network.requestWillBeSent\"") || m.contains("\"Network.requestWillBeSentExtraInfo\"")) {
                requests.add(m);
            }
        }
        assertTrue(
                requests.stream().anyMatch(r -> r.contains("X-PGPAUTHORIZATION") || r.contains("x-pgpauthorization")),
                "the browser's requests were captured: " + requests.size());
        assertTrue(requests.stream().anyMatch(r -> r.contains("/action/create/")), "the launch was captured");
        List<String> secretLines = key.armoredSecretKey()
                .lines()
                .filter(l -> l.length() >= 40 && !l.startsWith("-----"))
                .toList();
        assertFalse(secretLines.isEmpty());
        for (String r : requests) {
            assertFalse(r.contains(PASSPHRASE), "a request carried the passphrase");
            for (String line : secretLines) {
                assertFalse(r.contains(line.substring(0, 40)), "a request carried part of the secret key: " + r);
            }
        }
    }

    /** Follows the navigation link of a view, as a user clicks it, and waits for the view. */
    private static void view(WebDriver b, String name) {
        b.findElement(By.cssSelector("nav a[data-view='" + name + "']")).click();
        awaitReady(b, name);
    }

    private static WebElement rowButton(WebDriver b, String investigator, String label) {
        return b.findElement(
                By.xpath("//main//tr[td[2]='" + investigator + "']//button[normalize-space()='" + label + "']"));
    }

    /** Waits for the investigators table to show {@code value} in column {@code column} (1-based) of a row. */
    private static void awaitRow(WebDriver b, String investigator, int column, String value) {
        await(investigator + " " + value)
                .atMost(Duration.ofSeconds(30))
                .until(() -> b.findElements(By.xpath("//main//tr[td[2]='" + investigator + "' and td[" + column + "]='"
                                        + value + "']"))
                                .size()
                        == 1);
        awaitReady(b, "investigators");
    }

    private static String value(WebDriver b, String css) {
        return b.findElement(By.cssSelector(css)).getDomProperty("value");
    }

    private static String investigatorMessage(WebDriver b) {
        return await("the investigators view's message")
                .atMost(Duration.ofSeconds(30))
                .until(() -> text(b, "#investigator-message"), t -> !t.isEmpty());
    }

    /** The first column of the first row {@code sql} selects, as text. */
    private static String selectOne(Platform platform, String sql, Object... args) throws SQLException {
        try (Connection c = platform.database().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no row: " + sql);
                return rs.getString(1);
            }
        }
    }

    /** RFC 4180: fields separated by commas, quoted when they hold a comma, quote or line break. */
    private static List<List<String>> parseCsv(String csv) {
        assertTrue(csv.endsWith("\r\n"), "CSV records end with CRLF: " + csv);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                assertFalse(c == '"' || c == '\n' || c == '\r', "an unquoted field holds " + c + ": " + csv);
                field.append(c);
            }
        }
        return rows;
    }
}

package mig.standalone.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import mig.common.Agent;
import mig.common.Permission;
import mig.common.acl.Acl;
import mig.common.pgp.KeyGen;
import mig.common.pgp.Keyring;
import mig.database.AgentStore;
import mig.database.DbConfig;
import mig.database.InvestigatorStore;
import mig.standalone.Platform;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The web console in a real browser (Debian's chromium, headless, driven by chromedriver): an
 * investigator loads a passphrase-protected key into the page, launches a file investigation against
 * the whole platform (API, scheduler, broker, agent), sees the progress reach 100 % pushed by the
 * server without reloading, reads the finding, and no request the browser made carries the secret
 * key or its passphrase. Bad input first: a key that is no investigator's, a wrong passphrase, a token
 * refused as expired (the page's clock two hours ahead), a target with a syntax error.
 *
 * <p>Skipped, with the reason, where chromium or chromedriver is missing ({@code .ci/run} installs
 * them). {@code -Dmig.screenshots=<dir>} saves a screenshot of each view (docs/images).
 */
@ExtendWith(MigServices.class)
class WebConsoleIT {
    private static final String PASSPHRASE = "correct horse battery staple";

    static Path chromium;
    static Path chromedriver;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findBrowser() {
        // MIG_CHROMIUM / MIG_CHROMEDRIVER, when set, are the only candidates (a wrong path skips)
        chromium = find("MIG_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
        chromedriver = find("MIG_CHROMEDRIVER", "/usr/bin/chromedriver");
        Assumptions.assumeTrue(
                chromium != null && chromedriver != null,
                "web console browser test skipped: chromium and chromedriver are not installed"
                        + " (apt-get install chromium chromium-driver, as .ci/run does)");
    }

    private static Path find(String variable, String... defaults) {
        String set = System.getenv(variable);
        return set != null && !set.isBlank() ? firstExisting(set) : firstExisting(defaults);
    }

    private static Path firstExisting(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank() && Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return null;
    }

    @Test
    void anInvestigatorLaunchesAFileSearchSignedInTheBrowserAndWatchesItFinish(TestDatabase tdb, TestBroker broker)
            throws Exception {
        KeyGen.Generated eve = KeyGen.rsa("Eve Investigator <eve@example.net>", 2048, PASSPHRASE.toCharArray());
        KeyGen.Generated stranger = KeyGen.rsa("Stranger <stranger@example.net>", 2048);
        DbConfig dbConfig = DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 8);
        Acl acl = Acl.parse("{\"default\":{\"minimumweight\":1,\"investigators\":{\"eve\":{\"fingerprint\":\""
                + eve.fingerprint() + "\",\"weight\":1}}}}");
        Path searchDir = Files.createDirectories(tmp.resolve("search"));
        Path planted = Files.writeString(searchDir.resolve("planted-ioc.txt"), "evil\n");
        Files.writeString(searchDir.resolve("innocent.txt"), "fine\n");
        Path eveKey = Files.writeString(tmp.resolve("eve.asc"), eve.armoredSecretKey());

        try (Platform platform = Platform.start(new Platform.Settings(
                dbConfig,
                broker.uri(),
                0,
                Keyring.of(List.of(eve.secretKey().publicKey())),
                acl,
                Files.createDirectories(tmp.resolve("agent-run")),
                Duration.ofSeconds(30),
                true))) {
            EnumSet<Permission> perms = EnumSet.copyOf(Permission.DEFAULT);
            perms.addAll(Permission.ADMIN);
            new InvestigatorStore(platform.database().dataSource())
                    .create(
                            "eve",
                            eve.fingerprint(),
                            eve.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                            Permission.toMask(perms),
                            Instant.now());
            Agent agent = await("the agent registered")
                    .atMost(Duration.ofSeconds(60))
                    .until(
                            () -> new AgentStore(platform.database().dataSource()).targeted("status='online'", 0),
                            online -> !online.isEmpty())
                    .get(0);
            String root = "http://127.0.0.1:" + platform.apiPort();

            WebDriver browser = browser();
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
                browser.findElement(By.id("key-file")).sendKeys(eveKey.toString());
                browser.findElement(By.id("passphrase")).sendKeys("wrong passphrase");
                browser.findElement(By.id("key-load")).click();
                assertContains(signinError(browser), "Wrong passphrase");

                // this computer's clock two hours ahead: the API refuses the token as expired
                js.executeScript("window.__now = Date.now; Date.now = () => window.__now() + 7200000;");
                browser.findElement(By.id("key-file")).sendKeys(eveKey.toString());
                browser.findElement(By.id("passphrase")).sendKeys(PASSPHRASE);
                browser.findElement(By.id("key-load")).click();
                String expired = signinError(browser);
                assertContains(expired, "refused the token as expired");
                assertContains(expired, "Check this computer's clock");
                js.executeScript("Date.now = window.__now;");

                browser.findElement(By.id("key-file")).sendKeys(eveKey.toString());
                browser.findElement(By.id("passphrase")).sendKeys(PASSPHRASE);
                browser.findElement(By.id("key-load")).click();
                awaitReady(browser, "dashboard");
                assertContains(text(browser, "#who"), eve.fingerprint());
                assertEquals("1", text(browser, "#agents-online .n"));
                shot(browser, "console-dashboard");

                // the launcher: a target with a syntax error is shown inline with its position
                browser.get(root + "/ui/#/launch/file");
                awaitReady(browser, "launch");
                WebElement target = browser.findElement(By.id("launch-target"));
                target.clear();
                target.sendKeys("status='online' AND");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> text(browser, "#target-error").contains("position"));
                target.sendKeys(" name='" + agent.name() + "'");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> text(browser, "#target-count").contains("1 agent will be targeted"));
                assertEquals("", text(browser, "#target-error"));
                WebElement paths = browser.findElement(By.id("p-paths"));
                paths.clear();
                paths.sendKeys(searchDir.toString());
                browser.findElement(By.id("p-names")).sendKeys("^planted-ioc\\.txt$");
                shot(browser, "console-launch");
                js.executeScript("window.__sameDocument = true;");
                browser.findElement(By.id("launch")).click();

                // progress pushed by the server over the event stream, in the same document
                awaitReady(browser, "action");
                await("progress at 100 %")
                        .atMost(Duration.ofSeconds(90))
                        .until(() -> text(browser, "#action-progress").contains("100 %"));
                assertEquals(Boolean.TRUE, js.executeScript("return window.__sameDocument === true;"), "page reloaded");
                Number pushed =
                        (Number) js.executeScript("return window.migProgressLog.filter(e => e.done === 1).length;");
                assertTrue(pushed.intValue() >= 1, "the 100 % came from the event stream");
                await("the finding")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> text(browser, "#action-results").contains(planted.toString()));
                String results = text(browser, "#action-results");
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
                        browser.findElement(By.id("key-file")).sendKeys(eveKey.toString());
                        browser.findElement(By.id("passphrase")).sendKeys(PASSPHRASE);
                        browser.findElement(By.id("key-load")).click();
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

    private WebDriver browser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,1000",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
        options.setCapability("goog:loggingPrefs", Map.of("performance", "ALL", "browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static void paste(WebDriver b, String css, String value) {
        // sendKeys types one key at a time, slow for a 4 kB key: set the value as a paste would
        ((JavascriptExecutor) b)
                .executeScript("document.querySelector(arguments[0]).value = arguments[1];", css, value);
    }

    private static String signinError(WebDriver b) {
        return await("a sign-in message")
                .atMost(Duration.ofSeconds(60))
                .until(() -> text(b, "#signin-error"), t -> !t.isEmpty());
    }

    private static void awaitReady(WebDriver b, String view) {
        try {
            await("view " + view)
                    .atMost(Duration.ofSeconds(60))
                    .until(() ->
                            view.equals(((JavascriptExecutor) b).executeScript("return document.body.dataset.ready;")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // say what the page shows instead, and what its console logged
            StringBuilder logs = new StringBuilder();
            for (LogEntry l : b.manage().logs().get(LogType.BROWSER)) {
                logs.append(l.getMessage()).append('\n');
            }
            throw new AssertionError(
                    "view " + view + " not drawn; page at " + b.getCurrentUrl() + ", ready='"
                            + ((JavascriptExecutor) b).executeScript("return document.body.dataset.ready;")
                            + "', sign-in message '" + text(b, "#signin-error") + "', status '" + text(b, "#status")
                            + "', main '" + text(b, "main") + "', console:\n" + logs,
                    e);
        }
    }

    private static void waitFor(WebDriver b, String css) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !b.findElements(By.cssSelector(css)).isEmpty());
    }

    private static String text(WebDriver b, String css) {
        List<WebElement> found = b.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static void assertContains(String text, String part) {
        assertTrue(text.contains(part), "expected '" + part + "' in: " + text);
    }

    private static void shot(WebDriver b, String name) throws IOException {
        String dir = System.getProperty("mig.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path png = ((TakesScreenshot) b).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(Path.of(dir));
        Files.copy(png, Path.of(dir, name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}

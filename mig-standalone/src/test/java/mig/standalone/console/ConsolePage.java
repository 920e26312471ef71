package mig.standalone.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import mig.common.Agent;
import mig.common.Permission;
import mig.common.acl.Acl;
import mig.common.pgp.KeyGen;
import mig.common.pgp.Keyring;
import mig.database.AgentStore;
import mig.database.DbConfig;
import mig.database.InvestigatorStore;
import mig.standalone.Platform;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Assumptions;
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
 * What the web console tests share: the platform they start, the browser (Debian's chromium, headless,
 * through chromedriver, downloads into {@code <tmp>/downloads}) and the ways a user acts in the page.
 */
final class ConsolePage {
    private static Path chromium;
    private static Path chromedriver;

    private ConsolePage() {}

    /** Skips the calling test class, with the reason, where chromium or chromedriver is missing. */
    static void assumeBrowser() {
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

    // --- the platform ------------------------------------------------------------------------------

    /** An ACL whose one rule, {@code default}, needs {@code minimumWeight}; each signer weighs 1. */
    static Acl acl(int minimumWeight, Map<String, KeyGen.Generated> signers) {
        return Acl.parse("{\"default\":{\"minimumweight\":" + minimumWeight + ",\"investigators\":{"
                + signers.entrySet().stream()
                        .map(e -> "\"" + e.getKey() + "\":{\"fingerprint\":\""
                                + e.getValue().fingerprint() + "\",\"weight\":1}")
                        .collect(Collectors.joining(","))
                + "}}}");
    }

    /** The whole platform (API, scheduler, broker, agent); the agent trusts {@code signers} under {@code acl}. */
    static Platform start(TestDatabase tdb, TestBroker broker, Path tmp, Acl acl, List<KeyGen.Generated> signers)
            throws IOException {
        return Platform.start(new Platform.Settings(
                DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 8),
                broker.uri(),
                0,
                Keyring.of(signers.stream().map(k -> k.secretKey().publicKey()).toList()),
                acl,
                Files.createDirectories(tmp.resolve("agent-run")),
                Duration.ofSeconds(30),
                true));
    }

    /** Registers an investigator directly in the database, as {@code mig-console} would. */
    static long register(Platform platform, String name, KeyGen.Generated key, Set<Permission> permissions) {
        return investigators(platform)
                .create(
                        name,
                        key.fingerprint(),
                        key.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                        Permission.toMask(permissions),
                        Instant.now());
    }

    static InvestigatorStore investigators(Platform platform) {
        return new InvestigatorStore(platform.database().dataSource());
    }

    static Agent awaitAgent(Platform platform) {
        return await("the agent registered")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> new AgentStore(platform.database().dataSource()).targeted("status='online'", 0),
                        online -> !online.isEmpty())
                .get(0);
    }

    static String root(Platform platform) {
        return "http://127.0.0.1:" + platform.apiPort();
    }

    // --- the browser -------------------------------------------------------------------------------

    static WebDriver browser(Path tmp) throws IOException {
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
        options.setExperimentalOption(
                "prefs",
                Map.of(
                        "download.default_directory",
                        Files.createDirectories(downloads(tmp)).toString(),
                        "download.prompt_for_download",
                        false,
                        // the page's exports are several downloads from one page
                        "profile.default_content_setting_values.automatic_downloads",
                        1));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    static Path downloads(Path tmp) {
        return tmp.resolve("downloads");
    }

    /** The content of a file the page downloaded, once chromium has finished writing it. */
    static String awaitDownload(Path tmp, String name) throws IOException {
        Path file = downloads(tmp).resolve(name);
        await("the download " + name)
                .atMost(Duration.ofSeconds(30))
                .until(() -> Files.isRegularFile(file) && !Files.exists(file.resolveSibling(name + ".crdownload")));
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    // --- acting in the page ------------------------------------------------------------------------

    static void paste(WebDriver b, String css, String value) {
        // sendKeys types one key at a time, slow for a 4 kB key: set the value as a paste would
        ((JavascriptExecutor) b)
                .executeScript("document.querySelector(arguments[0]).value = arguments[1];", css, value);
    }

    /** Chooses a key file in the sign-in form, types its passphrase and submits. */
    static void loadKeyFile(WebDriver b, Path keyFile, String passphrase) {
        b.findElement(By.id("key-file")).sendKeys(keyFile.toString());
        b.findElement(By.id("passphrase")).sendKeys(passphrase);
        b.findElement(By.id("key-load")).click();
    }

    /** Pastes an unprotected secret key in the sign-in form, submits and waits for the dashboard. */
    static void signInWithKey(WebDriver b, String root, KeyGen.Generated key) {
        b.get(root + "/ui/");
        waitFor(b, "#key-text");
        paste(b, "#key-text", key.armoredSecretKey());
        b.findElement(By.id("key-load")).click();
        awaitReady(b, "dashboard");
    }

    static void openLauncher(WebDriver b, String root) {
        b.get(root + "/ui/#/launch/file");
        awaitReady(b, "launch");
    }

    /** Fills the open file launcher: one agent, {@code dir} searched for names matching {@code names}. */
    static void fillFileSearch(WebDriver b, Agent agent, Path dir, String names) {
        WebElement target = b.findElement(By.id("launch-target"));
        target.clear();
        target.sendKeys("name='" + agent.name() + "'");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> text(b, "#target-count").contains("1 agent will be targeted"));
        WebElement paths = b.findElement(By.id("p-paths"));
        paths.clear();
        paths.sendKeys(dir.toString());
        b.findElement(By.id("p-names")).sendKeys(names);
    }

    /** Waits for the action's page to show every command done; returns the results table's text. */
    static String awaitActionDone(WebDriver b) {
        awaitReady(b, "action");
        await("progress at 100 %")
                .atMost(Duration.ofSeconds(90))
                .until(() -> text(b, "#action-progress").contains("100 %"));
        return await("the results")
                .atMost(Duration.ofSeconds(30))
                .until(() -> text(b, "#action-results"), r -> !r.isEmpty() && !r.contains("waiting"));
    }

    static String signinError(WebDriver b) {
        return await("a sign-in message")
                .atMost(Duration.ofSeconds(60))
                .until(() -> text(b, "#signin-error"), t -> !t.isEmpty());
    }

    static void awaitReady(WebDriver b, String view) {
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

    static void waitFor(WebDriver b, String css) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !b.findElements(By.cssSelector(css)).isEmpty());
    }

    static String text(WebDriver b, String css) {
        List<WebElement> found = b.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    static void assertContains(String text, String part) {
        assertTrue(text.contains(part), "expected '" + part + "' in: " + text);
    }

    static void shot(WebDriver b, String name) throws IOException {
        String dir = System.getProperty("mig.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path png = ((TakesScreenshot) b).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(Path.of(dir));
        Files.copy(png, Path.of(dir, name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}

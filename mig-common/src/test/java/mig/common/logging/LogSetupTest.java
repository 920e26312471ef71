package mig.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code [logging]} applied as the API, the scheduler and the agent apply it. Each test starts from
 * a component's usual setup: one line pattern on a console-like stream.
 */
class LogSetupTest {

    private static final String LINE = "%-5level %logger{0}: %msg%n";

    private final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Logger log = LoggerFactory.getLogger("mig.component.Worker");
    private final List<Appender<ILoggingEvent>> saved = new ArrayList<>();
    private Level savedLevel;
    private ByteArrayOutputStream console;

    @BeforeEach
    void aComponentsConsole() {
        savedLevel = root.getLevel();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            saved.add(it.next());
        }
        saved.forEach(root::detachAppender);
        console = new ByteArrayOutputStream();
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(LINE);
        enc.start();
        OutputStreamAppender<ILoggingEvent> out = new OutputStreamAppender<>();
        out.setContext(ctx);
        out.setName("CONSOLE");
        out.setEncoder(enc);
        out.setOutputStream(console);
        out.start();
        root.addAppender(out);
        root.setLevel(Level.INFO);
    }

    @AfterEach
    void restore() {
        MDC.clear();
        root.detachAndStopAllAppenders();
        saved.forEach(root::addAppender);
        root.setLevel(savedLevel);
    }

    private String consoleText() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stdoutKeepsTheComponentsLineAndAppliesTheLevelToEveryLogger() {
        LogSetup.apply(new LoggingConfig("stdout", "warning", "", 0, "", 0, "", ""), "mig-test");
        log.info("not kept");
        LoggerFactory.getLogger("org.example.Library").info("not kept either");
        log.warn("kept");
        assertEquals("WARN  Worker: kept\n", consoleText());
    }

    @Test
    void debugShowsDebugLines() {
        LogSetup.apply(LoggingConfig.DEFAULT.debug(), "mig-test");
        log.debug("details");
        assertEquals("DEBUG Worker: details\n", consoleText());
    }

    @Test
    void fileModeWritesTheComponentsLineToTheFileInstead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mig.log");
        Files.writeString(file, "an earlier line\n");
        LogSetup.apply(new LoggingConfig("file", "info", file.toString(), 0, "", 0, "", ""), "mig-test");
        log.info("to the file");
        log.debug("below the level");
        assertEquals("an earlier line\nINFO  Worker: to the file\n", Files.readString(file));
        assertEquals("", consoleText());
    }

    @Test
    void maxFileSizeKeepsTheFileAndOneOlderAsTheOriginalDoes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mig.log");
        Path older = dir.resolve("mig.log.1");
        LogSetup.apply(new LoggingConfig("file", "info", file.toString(), 100, "", 0, "", ""), "mig-test");
        for (int i = 10; i < 40; i++) {
            log.info("line {}", i); // 22 bytes a line
        }
        assertTrue(Files.exists(older), "rotated to " + older);
        List<String> current = Files.readAllLines(file);
        List<String> previous = Files.readAllLines(older);
        assertEquals("INFO  Worker: line 39", current.get(current.size() - 1));
        // before each write the size is checked: a file of 100 bytes or more is rotated first
        assertTrue(Files.size(file) < 100 + 22, "at most one line past the size: " + Files.size(file));
        assertEquals(5 * 22, Files.size(older), "rotated at the first write that found 100 bytes or more");
        assertEquals(5, previous.size());
        assertEquals("INFO  Worker: line " + (39 - current.size()), previous.get(4), "no line lost between the two");
        assertFalse(Files.exists(dir.resolve("mig.log.2")), "only one older file is kept");
    }

    @Test
    void syslogSendsUdpDatagramsWithFacilityTagAndOpid() throws Exception {
        try (DatagramSocket syslogd = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            syslogd.setSoTimeout(30_000);
            LogSetup.apply(
                    new LoggingConfig("syslog", "warning", "", 0, "127.0.0.1", syslogd.getLocalPort(), "udp", "local3"),
                    "mig-test");
            log.info("below the level, not sent");
            MDC.put("opid", "4242");
            log.warn("kept for syslog");
            MDC.remove("opid");
            log.error("no opid here");

            // <PRI> is facility * 8 + severity: local3 (19) and warning (4), then error (3)
            String first = receive(syslogd);
            assertTrue(first.startsWith("<156>"), first);
            assertTrue(first.endsWith(" mig-test: [4242] kept for syslog"), first);
            String second = receive(syslogd);
            assertTrue(second.startsWith("<155>"), second);
            assertTrue(second.endsWith(" mig-test: [] no opid here"), second);
            assertEquals("", consoleText(), "syslog replaces the console");
        }
    }

    private static String receive(DatagramSocket socket) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        socket.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }
}

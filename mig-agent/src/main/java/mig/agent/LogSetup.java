package mig.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import mig.agent.config.AgentConfig;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code [logging]} section to Logback once the configuration is read. The base setup
 * is {@code logback.xml}: one line per event on stdout. Levels map from the original's syslog names;
 * {@code mode = file} sends everything to {@code file} instead; {@code syslog} and
 * {@code maxfilesize} rotation are not supported yet and say so.
 */
final class LogSetup {

    /** System property read by {@code logback.xml}: where console lines go ({@code System.out}). */
    static final String TARGET_PROPERTY = "mig.agent.log.target";
    /** System property read by {@code logback.xml}: the root level ({@code INFO}). */
    static final String LEVEL_PROPERTY = "mig.agent.log.level";

    private LogSetup() {
    }

    /**
     * For one-shot uses ({@code -m}, {@code -i}, {@code -S}...): stdout carries the answer, so logs
     * go to stderr and only warnings show. Must run before the first logger is created.
     */
    static void toolMode() {
        System.setProperty(TARGET_PROPERTY, "System.err");
        System.setProperty(LEVEL_PROPERTY, "WARN");
    }

    /** Applies the configured level and destination; {@code debug} ({@code -d}) forces debug on stdout. */
    static void apply(AgentConfig.Logging logging, boolean debug) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(debug ? Level.DEBUG : level(logging.level()));
        if (debug) {
            return;
        }
        org.slf4j.Logger log = LoggerFactory.getLogger(LogSetup.class);
        switch (logging.mode()) {
            case "file" -> {
                PatternLayoutEncoder enc = new PatternLayoutEncoder();
                enc.setContext(ctx);
                enc.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0}: %msg%n");
                enc.start();
                FileAppender<ILoggingEvent> file = new FileAppender<>();
                file.setContext(ctx);
                file.setName("FILE");
                file.setFile(logging.file());
                file.setAppend(true);
                file.setEncoder(enc);
                file.start();
                root.detachAndStopAllAppenders();
                root.addAppender(file);
                if (logging.maxFileSize() > 0) {
                    log.warn("[logging] maxfilesize is not supported yet: {} grows without rotation", logging.file());
                }
            }
            case "syslog" -> log.warn("[logging] mode = syslog is not supported yet; logging to stdout");
            default -> {
            }
        }
    }

    private static Level level(String syslogName) {
        return switch (syslogName) {
            case "debug" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "err", "crit", "alert", "emerg" -> Level.ERROR;
            default -> Level.INFO;
        };
    }
}

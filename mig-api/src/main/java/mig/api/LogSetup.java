package mig.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.net.SyslogAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code [logging]} to Logback at start: the level for MIG's own loggers, and where logs go
 * (stdout as configured by {@code logback.xml}, a file, or UDP syslog).
 */
final class LogSetup {
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%X{opid}] %logger{20} - %msg%n";

    private LogSetup() {
    }

    static void apply(LogSettings s) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return; // another SLF4J backend: its own configuration decides
        }
        ctx.getLogger("mig").setLevel(level(s.level()));
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (s.mode().equals("stdout")) {
            return;
        }
        Appender<ILoggingEvent> appender = s.mode().equals("file") ? file(ctx, s) : syslog(ctx, s);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        if (s.maxFileSize() > 0) {
            LoggerFactory.getLogger(LogSetup.class).warn("[logging] maxfilesize is not supported: {} is not rotated,"
                    + " use logrotate", s.file());
        }
    }

    private static Appender<ILoggingEvent> file(LoggerContext ctx, LogSettings s) {
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(PATTERN);
        enc.start();
        FileAppender<ILoggingEvent> f = new FileAppender<>();
        f.setContext(ctx);
        f.setName("file");
        f.setFile(s.file());
        f.setAppend(true);
        f.setEncoder(enc);
        f.start();
        return f;
    }

    private static Appender<ILoggingEvent> syslog(LoggerContext ctx, LogSettings s) {
        SyslogAppender a = new SyslogAppender();
        a.setContext(ctx);
        a.setName("syslog");
        a.setSyslogHost(s.host());
        a.setPort(s.port());
        a.setFacility(s.facility().toUpperCase(java.util.Locale.ROOT));
        a.setSuffixPattern("mig-api: [%X{opid}] %msg");
        a.start();
        return a;
    }

    private static Level level(String syslogLevel) {
        return switch (syslogLevel) {
            case "debug" -> Level.DEBUG;
            case "info", "notice" -> Level.INFO;
            case "warning" -> Level.WARN;
            default -> Level.ERROR;
        };
    }
}

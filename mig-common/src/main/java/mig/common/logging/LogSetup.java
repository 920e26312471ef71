package mig.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.net.SyslogAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code [logging]} to Logback at start, the same way for the API, the scheduler and the
 * agent. Each component's {@code logback.xml} (or the packaged agent's configurator) sets up its
 * line on stdout; this then sets the root level from the syslog level name and, for {@code file}
 * or {@code syslog}, replaces the root's appenders:
 * <ul>
 * <li>{@code file}: the component's own line, appended to {@code file}; with {@code maxfilesize},
 * the file is renamed {@code <file>.1} when it reaches that size, as the original's rotating writer
 * does (it checks the size at every write, so does this);</li>
 * <li>{@code syslog}: UDP datagrams to {@code host:port} with the facility, tagged
 * {@code <program>: [<opid>] <message>} (the opid is the API's request id, empty elsewhere).</li>
 * </ul>
 * Libraries that {@code logback.xml} pins to a level of their own keep it.
 */
public final class LogSetup {

    /** The line when no console pattern is found to copy: the scheduler's. */
    static final String DEFAULT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %msg%n";

    private LogSetup() {}

    /**
     * Applies {@code config}; does nothing when SLF4J is bound to another backend (its own
     * configuration then decides).
     *
     * @param program the syslog tag: {@code mig-api}, {@code mig-scheduler}, {@code mig-agent}
     */
    public static void apply(LoggingConfig config, String program) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(config.level()));
        Appender<ILoggingEvent> appender = switch (config.mode()) {
            case "file" -> file(ctx, config, linePattern(root));
            case "syslog" -> syslog(ctx, config, program);
            default -> null;
        };
        if (appender != null) {
            root.detachAndStopAllAppenders();
            root.addAppender(appender);
        }
    }

    /** Logback's level for a syslog level name: notice is info, crit, alert and emerg are error. */
    static Level level(String syslogLevel) {
        return switch (syslogLevel) {
            case "debug" -> Level.DEBUG;
            case "info", "notice" -> Level.INFO;
            case "warning" -> Level.WARN;
            default -> Level.ERROR;
        };
    }

    /** The component's own line: the pattern of the first pattern-encoded appender on the root. */
    private static String linePattern(Logger root) {
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out
                    && out.getEncoder() instanceof PatternLayoutEncoder enc) {
                return enc.getPattern();
            }
        }
        return DEFAULT_PATTERN;
    }

    private static Appender<ILoggingEvent> file(LoggerContext ctx, LoggingConfig config, String pattern) {
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(pattern);
        enc.start();
        FileAppender<ILoggingEvent> f;
        if (config.maxFileSize() > 0) {
            RollingFileAppender<ILoggingEvent> rolling = new RollingFileAppender<>();
            FixedWindowRollingPolicy keepOne = new FixedWindowRollingPolicy();
            keepOne.setContext(ctx);
            keepOne.setParent(rolling);
            keepOne.setFileNamePattern(config.file() + ".%i");
            keepOne.setMinIndex(1);
            keepOne.setMaxIndex(1);
            SizeBasedTriggeringPolicy<ILoggingEvent> size = new SizeBasedTriggeringPolicy<>();
            size.setContext(ctx);
            size.setMaxFileSize(new FileSize(config.maxFileSize()));
            size.setCheckIncrement(Duration.buildByMilliseconds(0));
            rolling.setRollingPolicy(keepOne);
            rolling.setTriggeringPolicy(size);
            f = rolling;
        } else {
            f = new FileAppender<>();
        }
        f.setContext(ctx);
        f.setName("FILE");
        f.setFile(config.file());
        f.setAppend(true);
        f.setEncoder(enc);
        if (f instanceof RollingFileAppender<ILoggingEvent> rolling) {
            rolling.getRollingPolicy().start();
            rolling.getTriggeringPolicy().start();
        }
        f.start();
        return f;
    }

    private static Appender<ILoggingEvent> syslog(LoggerContext ctx, LoggingConfig config, String program) {
        SyslogAppender a = new SyslogAppender();
        a.setContext(ctx);
        a.setName("SYSLOG");
        a.setSyslogHost(config.host());
        a.setPort(config.port());
        a.setFacility(config.facility().toUpperCase(Locale.ROOT));
        a.setSuffixPattern(program + ": [%X{opid}] %msg");
        a.start();
        return a;
    }
}

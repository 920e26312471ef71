package mig.scheduler;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.util.Iterator;
import mig.scheduler.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/** Applies {@code [logging]} and {@code -d} to the Logback set up by {@code logback.xml}. */
final class LogSetup {

    private LogSetup() {
    }

    static void apply(LoggingConfig config, boolean debug) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(debug ? Level.DEBUG : Level.toLevel(config.level().name()));
        if (config.mode().equals("file")) {
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(ctx);
            encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %msg%n");
            encoder.start();
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(ctx);
            file.setName("FILE");
            file.setFile(config.file().orElseThrow().toString());
            file.setEncoder(encoder);
            file.start();
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext();) {
                Appender<ILoggingEvent> a = it.next();
                root.detachAppender(a);
                a.stop();
            }
            root.addAppender(file);
        } else if (config.mode().equals("syslog")) {
            LoggerFactory.getLogger(LogSetup.class).warn("[logging] mode = syslog is not supported; logging to "
                    + "stdout (the service manager can forward it to syslog)");
        }
    }
}

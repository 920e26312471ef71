package mig.standalone.badinput;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Collects the log events of a logger (and its children) at INFO and above while a bad-input test
 * runs, so it can check that every message it sent was handled and its drop logged, one line each,
 * and never with a stack trace.
 */
final class LogCounter extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger logger;
    private final ConcurrentLinkedQueue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

    private LogCounter(Logger logger) {
        this.logger = logger;
    }

    /** Starts collecting what {@code loggerName} and the loggers below it log. */
    static LogCounter on(String loggerName) {
        Logger l = (Logger) LoggerFactory.getLogger(loggerName);
        LogCounter c = new LogCounter(l);
        c.setContext(l.getLoggerContext());
        c.start();
        l.addAppender(c);
        return c;
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (e.getLevel().isGreaterOrEqual(Level.INFO)) {
            events.add(e);
        }
    }

    /** Events whose logger name ends with {@code simpleName} and whose message contains {@code part}. */
    int count(String simpleName, String part) {
        return (int) events.stream()
                .filter(e -> e.getLoggerName().endsWith(simpleName)
                        && e.getFormattedMessage().contains(part))
                .count();
    }

    /** Events at {@code level} or above whose logger name ends with {@code simpleName}. */
    int atLeast(Level level, String simpleName) {
        return (int) events.stream()
                .filter(e ->
                        e.getLoggerName().endsWith(simpleName) && e.getLevel().isGreaterOrEqual(level))
                .count();
    }

    /** Events that carry a stack trace. */
    List<String> withStackTraces() {
        return events.stream()
                .filter(e -> e.getThrowableProxy() != null)
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}

package mig.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * {@code logback.xml} in code, for the packaged agent only: the packager registers this class as
 * the jar's logback {@link Configurator}, so an endpoint agent never starts logback's XML
 * configurator. That saves about 600 classes (Joran and the JDK's XML parser) and several MB of an
 * idle agent's resident memory. The result is the same as {@code logback.xml}: one line per event
 * on {@code mig.agent.log.target} (stdout), root level {@code mig.agent.log.level} (INFO), the
 * AMQP client at WARN; {@link mig.common.logging.LogSetup} then applies {@code [logging]} as usual.
 */
public final class EndpointLogConfigurator extends ContextAwareBase implements Configurator {

    /** System property read by {@code logback.xml} and here: where console lines go ({@code System.out}). */
    static final String TARGET_PROPERTY = "mig.agent.log.target";
    /** System property read by {@code logback.xml} and here: the root level ({@code INFO}). */
    static final String LEVEL_PROPERTY = "mig.agent.log.level";

    /**
     * For one-shot uses ({@code -m}, {@code -i}, {@code -S}...): stdout carries the answer, so logs
     * go to stderr and only warnings show. Must run before the first logger is created.
     */
    static void toolMode() {
        System.setProperty(TARGET_PROPERTY, "System.err");
        System.setProperty(LEVEL_PROPERTY, "WARN");
    }

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0}: %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("CONSOLE");
        console.setTarget(System.getProperty(TARGET_PROPERTY, "System.out"));
        console.setEncoder(encoder);
        console.start();
        ctx.getLogger("com.rabbitmq").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty(LEVEL_PROPERTY, "INFO"), Level.INFO));
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}

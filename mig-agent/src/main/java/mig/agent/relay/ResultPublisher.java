package mig.agent.relay;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import mig.agent.config.AgentConfig;
import mig.agent.spool.Spool;
import mig.common.amqp.AmqpNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the {@link Spool} holds to {@code toschedulers} with key {@code mig.agt.results}
 * (persistent, {@code text/plain}, timestamp, TTL 10 × heartbeatfreq, mandatory, publisher
 * confirms), oldest first, and tells the spool what the broker confirmed. A flush stops at the
 * first failure; the rest waits for the next flush: after each command, after each (re)connection,
 * and every {@link #RETRY_EVERY} while results wait.
 *
 * <p>Threads: {@link #flush()} runs only on the agent's command thread ({@code mig-command}), which
 * therefore alone uses {@link #channel} and {@link #reportedBacklog}; other threads call
 * {@link #requestFlush()}, which queues one flush there (once, however often asked meanwhile).
 */
final class ResultPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ResultPublisher.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);
    /** How often results left in the spool are retried while the agent runs. */
    static final Duration RETRY_EVERY = Duration.ofSeconds(30);

    private final AgentConfig config;
    private final Spool spool;
    private final Clock clock;
    private final Supplier<Optional<Connection>> connection;
    private final Executor commandThread;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    private volatile boolean closed;
    private Channel channel;
    private boolean reportedBacklog;

    /**
     * @param connection    the relay connection when it is open
     * @param commandThread the agent's single command thread
     * @param timer         schedules retries
     */
    ResultPublisher(
            AgentConfig config,
            Spool spool,
            Clock clock,
            Supplier<Optional<Connection>> connection,
            Executor commandThread,
            ScheduledExecutorService timer) {
        this.config = config;
        this.spool = spool;
        this.clock = clock;
        this.connection = connection;
        this.commandThread = commandThread;
        this.timer = timer;
    }

    /** Queues a flush on the command thread. */
    void requestFlush() {
        if (closed || !flushQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            commandThread.execute(() -> {
                flushQueued.set(false);
                flush();
            });
        } catch (RejectedExecutionException e) {
            flushQueued.set(false);
        }
    }

    /**
     * Publishes every spooled result, oldest first, until one fails. Command thread only; also
     * runs while the agent closes, so the last command's result still goes out.
     */
    void flush() {
        List<Spool.Pending> pending = spool.pending();
        int sent = 0;
        for (Spool.Pending p : pending) {
            try {
                publish(p.body());
            } catch (IOException | TimeoutException | ShutdownSignalException | IllegalStateException e) {
                if (!reportedBacklog) {
                    LOG.warn(
                            "cannot publish results to {} ({}); {} result(s) wait in {} until the relay takes them",
                            AmqpNames.TO_SCHEDULERS,
                            Relay.describe(e),
                            pending.size() - sent,
                            spool.dir());
                    reportedBacklog = true;
                }
                scheduleRetry();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            spool.sent(p.commandId());
            sent++;
            LOG.info("command {}: result published to {}", p.commandId(), AmqpNames.TO_SCHEDULERS);
        }
        if (reportedBacklog && sent > 0) {
            LOG.info("relay takes results again: spool flushed");
        }
        reportedBacklog = false;
    }

    /** No more flushes are queued or retried. */
    void close() {
        closed = true;
    }

    private void scheduleRetry() {
        if (closed || !retryScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            timer.schedule(
                    () -> {
                        retryScheduled.set(false);
                        requestFlush();
                    },
                    RETRY_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            retryScheduled.set(false);
        }
    }

    private void publish(byte[] body) throws IOException, TimeoutException, InterruptedException {
        Channel ch = channel;
        if (ch == null || !ch.isOpen()) {
            Connection conn = connection.get().orElseThrow(() -> new IllegalStateException("not connected"));
            ch = conn.createChannel();
            if (ch == null) {
                throw new IOException("the relay has no channel left for this connection");
            }
            ch.confirmSelect();
            ch.addReturnListener(r -> LOG.warn(
                    "result returned by the relay ({} {}): no queue is bound to {} with "
                            + "key {}; is the scheduler running?",
                    r.getReplyCode(),
                    r.getReplyText(),
                    r.getExchange(),
                    r.getRoutingKey()));
            channel = ch;
        }
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("text/plain")
                .timestamp(new Date(clock.millis()))
                .expiration(Long.toString(config.heartbeatFreq().toMillis() * 10))
                .build();
        ch.basicPublish(AmqpNames.TO_SCHEDULERS, AmqpNames.RESULTS, true, false, props, body);
        ch.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
    }
}

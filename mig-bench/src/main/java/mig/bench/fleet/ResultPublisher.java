package mig.bench.fleet;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import mig.common.amqp.AmqpNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the simulated agents' results to {@code toschedulers} / {@code mig.agt.results} with the
 * real agent's properties and its guarantee: a command is acknowledged only once its result is
 * confirmed by the broker. Unlike the real agent, which waits for each confirm, results are
 * pipelined over a few confirm-mode channels (lanes) and each delivery is acked from the confirm,
 * so thousands of agents in one JVM do not queue behind one round trip each.
 *
 * <p>Concurrency: each {@link Lane} guards its channel and its outstanding results with its own
 * monitor. A result whose channel dies before the confirm (a broker outage) is kept and published
 * again by the retry timer once a channel is open; its delivery is then redelivered by the broker
 * as well (its ack failed), so the agent answers twice, as a real agent would, and the scheduler
 * keeps the first answer.
 */
final class ResultPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultPublisher.class);
    private static final Duration RETRY_EVERY = Duration.ofMillis(500);

    /** A result waiting for its confirm, and what to do then (ack the command). */
    private record Pending(byte[] body, Runnable onConfirmed) {}

    private final Connection connection;
    private final List<Lane> lanes = new ArrayList<>();
    private final ConcurrentLinkedQueue<Pending> retry = new ConcurrentLinkedQueue<>();
    private final AtomicInteger next = new AtomicInteger();
    /** Results sent once and queued to be sent again: refused, or unconfirmed when a channel died. */
    private final AtomicInteger again = new AtomicInteger();

    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(daemon("fleet-acks"));
    private final ScheduledExecutorService retrier = Executors.newSingleThreadScheduledExecutor(daemon("fleet-retry"));
    private final AMQP.BasicProperties properties;
    private volatile boolean closed;

    ResultPublisher(ConnectionFactory factory, List<Address> addresses, int laneCount, Duration resultTtl)
            throws IOException, TimeoutException {
        this.connection = factory.newConnection(addresses, "fleet-results");
        this.properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("text/plain")
                .expiration(Long.toString(resultTtl.toMillis()))
                .build();
        for (int i = 0; i < laneCount; i++) {
            lanes.add(new Lane(connection.createChannel()));
        }
        retrier.scheduleWithFixedDelay(
                this::republish, RETRY_EVERY.toMillis(), RETRY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Publishes one result; {@code onConfirmed} runs once the broker has it. */
    void publish(byte[] body, Runnable onConfirmed) {
        Pending p = new Pending(body, onConfirmed);
        Lane lane = lanes.get(Math.floorMod(next.getAndIncrement(), lanes.size()));
        if (!lane.publish(p)) {
            retry.add(p);
        }
    }

    /** Results sent again after a refusal or a lost channel (each may reach the queue twice). */
    int publishedAgain() {
        return again.get();
    }

    /** Results waiting for a channel to come back. */
    int waiting() {
        return retry.size();
    }

    private void republish() {
        for (int n = retry.size(); n > 0 && !closed; n--) {
            Pending p = retry.poll();
            if (p == null) {
                return;
            }
            boolean sent = false;
            for (int i = 0; i < lanes.size() && !sent; i++) {
                sent = lanes.get(Math.floorMod(next.getAndIncrement(), lanes.size()))
                        .publish(p);
            }
            if (!sent) {
                retry.add(p);
                return;
            }
        }
    }

    /** One confirm-mode channel and the results it has not had confirmed yet. */
    private final class Lane implements ConfirmListener {
        private final Channel channel;
        /** Guarded by this: delivery tag (publish sequence number) to result. */
        private final NavigableMap<Long, Pending> outstanding = new TreeMap<>();

        Lane(Channel channel) throws IOException {
            this.channel = channel;
            channel.confirmSelect();
            channel.addConfirmListener(this);
            channel.addShutdownListener(cause -> lost());
        }

        /** @return false if the channel is closed (the caller keeps the result for later) */
        synchronized boolean publish(Pending p) {
            if (!channel.isOpen()) {
                return false;
            }
            long seq = channel.getNextPublishSeqNo();
            outstanding.put(seq, p);
            try {
                channel.basicPublish(
                        AmqpNames.TO_SCHEDULERS,
                        AmqpNames.RESULTS,
                        true,
                        false,
                        properties.builder().timestamp(new Date()).build(),
                        p.body());
                return true;
            } catch (IOException | AlreadyClosedException e) {
                outstanding.remove(seq);
                return false;
            }
        }

        @Override
        public void handleAck(long tag, boolean multiple) {
            List<Pending> done = take(tag, multiple);
            callbacks.execute(() -> done.forEach(p -> p.onConfirmed().run()));
        }

        @Override
        public void handleNack(long tag, boolean multiple) {
            List<Pending> refused = take(tag, multiple);
            LOG.warn("the broker refused {} results; publishing them again", refused.size());
            again.addAndGet(refused.size());
            retry.addAll(refused);
        }

        private synchronized List<Pending> take(long tag, boolean multiple) {
            List<Pending> out = new ArrayList<>();
            if (multiple) {
                NavigableMap<Long, Pending> head = outstanding.headMap(tag, true);
                out.addAll(head.values());
                head.clear();
            } else {
                Pending p = outstanding.remove(tag);
                if (p != null) {
                    out.add(p);
                }
            }
            return out;
        }

        /** The channel died (with its connection): nothing outstanding will be confirmed now. */
        private synchronized void lost() {
            if (!closed && !outstanding.isEmpty()) {
                LOG.info(
                        "results channel lost with {} results unconfirmed; they are published again once it "
                                + "is back",
                        outstanding.size());
            }
            again.addAndGet(outstanding.size());
            retry.addAll(outstanding.values());
            outstanding.clear();
        }
    }

    @Override
    public void close() {
        closed = true;
        retrier.shutdownNow();
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException e) {
            connection.abort();
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

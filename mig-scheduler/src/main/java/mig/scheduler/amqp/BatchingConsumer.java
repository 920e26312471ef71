package mig.scheduler.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes a queue with manual acknowledgements, a batch at a time: whatever has been delivered
 * (up to {@code maxBatch}, at most the prefetch) is handed to its {@link BatchIntake} at once (for
 * results: stored in one database transaction), then acknowledged with one multiple-ack after the
 * intake returned, i.e. after the commit. A batch the intake asks to retry is requeued after a
 * pause. The original consumed with auto-ack and could lose what it had received but not stored.
 *
 * <p>Deliveries are queued by the client's dispatch thread and handled on a thread of this
 * consumer, so the broker keeps delivering while a batch is being stored. They are handled in
 * the order of their delivery tags, which is what makes a multiple-ack of the last tag of a batch
 * acknowledge exactly that batch. After the client recovered the channel, acknowledgements of
 * deliveries from before the recovery are dropped by the client; the broker redelivers those
 * messages, and a result stored twice changes nothing.
 */
public final class BatchingConsumer extends DefaultConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingConsumer.class);

    private record Delivered(long tag, byte[] body) {}

    private final String queue;
    private final BatchIntake intake;
    private final int maxBatch;
    private final Duration retryPause;
    private final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;

    private BatchingConsumer(Channel channel, String queue, BatchIntake intake, int maxBatch, Duration retryPause) {
        super(channel);
        this.queue = queue;
        this.intake = intake;
        this.maxBatch = maxBatch;
        this.retryPause = retryPause;
        this.worker = new Thread(this::work, "mig-scheduler-" + queue);
        this.worker.setDaemon(true);
    }

    /**
     * Starts consuming {@code queue} on {@code channel} with at most {@code prefetch} unacked
     * messages, handed to {@code intake} up to {@code maxBatch} at a time. A {@code maxBatch}
     * below the prefetch lets the broker deliver the next batch while one is stored.
     */
    public static BatchingConsumer start(
            Channel channel, String queue, int prefetch, int maxBatch, BatchIntake intake, Duration retryPause)
            throws IOException {
        BatchingConsumer c = new BatchingConsumer(channel, queue, intake, maxBatch, retryPause);
        c.worker.start();
        channel.basicQos(prefetch);
        try {
            channel.basicConsume(queue, false, "mig-scheduler-" + queue, c);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        delivered.add(new Delivered(envelope.getDeliveryTag(), body));
    }

    private void work() {
        List<Delivered> batch = new ArrayList<>(maxBatch);
        List<byte[]> bodies = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                batch.add(delivered.take());
            } catch (InterruptedException e) {
                return;
            }
            delivered.drainTo(batch, maxBatch - 1);
            for (Delivered d : batch) {
                bodies.add(d.body());
            }
            Intake.Disposition disposition;
            try {
                disposition = intake.acceptAll(bodies);
            } catch (RuntimeException e) {
                // An intake bug must not stop the consumer, nor loop the messages.
                LOG.error("{}: {} messages dropped after an unexpected error", queue, batch.size(), e);
                disposition = Intake.Disposition.DONE;
            }
            settle(batch.get(batch.size() - 1).tag(), batch.size(), disposition);
            batch.clear();
            bodies.clear();
        }
    }

    private void settle(long lastTag, int count, Intake.Disposition disposition) {
        try {
            if (disposition == Intake.Disposition.DONE) {
                getChannel().basicAck(lastTag, true);
            } else {
                Thread.sleep(retryPause.toMillis());
                getChannel().basicNack(lastTag, true, true);
            }
        } catch (IOException | RuntimeException e) {
            // The channel is gone: the broker requeues what we did not ack.
            LOG.warn(
                    "{}: could not settle {} messages up to {} ({}); the broker redelivers them",
                    queue,
                    count,
                    lastTag,
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /**
     * Stops handling deliveries, letting the batch under way finish (up to 5 s); those not
     * acknowledged are redelivered by the broker.
     */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

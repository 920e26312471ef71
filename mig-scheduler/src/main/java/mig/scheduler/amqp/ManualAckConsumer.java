package mig.scheduler.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes a queue with manual acknowledgements: a message is acked only after its
 * {@link Intake} handled it (for results: after the database committed them), and requeued after
 * a pause when the intake asks to retry. The original consumed with auto-ack and could lose
 * what it had received but not stored.
 */
public final class ManualAckConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ManualAckConsumer.class);

    private final String queue;
    private final Intake intake;
    private final Duration retryPause;

    private ManualAckConsumer(Channel channel, String queue, Intake intake, Duration retryPause) {
        super(channel);
        this.queue = queue;
        this.intake = intake;
        this.retryPause = retryPause;
    }

    /**
     * Starts consuming {@code queue} on {@code channel} with at most {@code prefetch} unacked
     * messages.
     */
    public static void start(Channel channel, String queue, int prefetch, Intake intake, Duration retryPause)
            throws IOException {
        channel.basicQos(prefetch);
        channel.basicConsume(
                queue, false, "mig-scheduler-" + queue, new ManualAckConsumer(channel, queue, intake, retryPause));
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        Intake.Disposition d;
        try {
            d = intake.accept(
                    body,
                    properties == null || properties.getHeaders() == null
                            ? java.util.Map.of()
                            : properties.getHeaders());
        } catch (RuntimeException e) {
            // An intake bug must not kill the channel (the client would close it), nor loop the message.
            LOG.error("{}: message of {} bytes dropped after an unexpected error", queue, body.length, e);
            d = Intake.Disposition.DONE;
        }
        try {
            if (d == Intake.Disposition.DONE) {
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            } else {
                Thread.sleep(retryPause.toMillis());
                getChannel().basicNack(envelope.getDeliveryTag(), false, true);
            }
        } catch (IOException | RuntimeException e) {
            // The channel is gone: the broker requeues what we did not ack.
            LOG.warn(
                    "{}: could not settle message {} ({}); the broker redelivers it",
                    queue,
                    envelope.getDeliveryTag(),
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

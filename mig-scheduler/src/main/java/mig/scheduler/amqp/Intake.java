package mig.scheduler.amqp;

import java.util.Map;

/**
 * What a consumer does with one message body. Implementations never throw: anything wrong with
 * the message is logged and answered {@link Disposition#DONE}, so a bad message cannot loop.
 */
@FunctionalInterface
public interface Intake {

    /** Whether the broker may forget the message. */
    enum Disposition {
        /** Handled (stored, or refused for good): ack it. */
        DONE,
        /** Not handled because something we depend on is briefly away: requeue it for later. */
        RETRY
    }

    Disposition accept(byte[] body);

    /** The same with the message's AMQP headers (never null), for intakes that read them. */
    default Disposition accept(byte[] body, Map<String, Object> headers) {
        return accept(body);
    }
}

package mig.scheduler.amqp;

import java.util.List;

/**
 * What a {@link BatchingConsumer} does with the message bodies of one delivery batch. Implementations
 * never throw: anything wrong with one message is logged and that message dropped, so a bad
 * message cannot loop; the batch as a whole is either handled ({@link Intake.Disposition#DONE}) or,
 * when something we depend on is briefly away, requeued ({@link Intake.Disposition#RETRY}).
 */
@FunctionalInterface
public interface BatchIntake {

    Intake.Disposition acceptAll(List<byte[]> bodies);
}

package mig.bench.fleet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the fleet saw of one action: each command delivered (and how often), each result the broker
 * confirmed, the commands the agents' {@code Trust} refused, and when the first and last of these
 * happened ({@link System#nanoTime()}). The time of the last delivery is when the last command was
 * published, as close as an agent can tell.
 */
public final class ActionTrack {

    private final long actionId;
    private final Map<Long, AtomicInteger> deliveriesByCommand = new ConcurrentHashMap<>();
    private final AtomicInteger deliveries = new AtomicInteger();
    private final AtomicInteger confirmed = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong firstDelivery = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastDelivery = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastConfirm = new AtomicLong(Long.MIN_VALUE);

    ActionTrack(long actionId) {
        this.actionId = actionId;
    }

    void delivered(long commandId, long nanos) {
        deliveries.incrementAndGet();
        deliveriesByCommand.computeIfAbsent(commandId, k -> new AtomicInteger()).incrementAndGet();
        firstDelivery.accumulateAndGet(nanos, Math::min);
        lastDelivery.accumulateAndGet(nanos, Math::max);
    }

    void refused() {
        refused.incrementAndGet();
    }

    void confirmed(long nanos) {
        confirmed.incrementAndGet();
        lastConfirm.accumulateAndGet(nanos, Math::max);
    }

    public long actionId() {
        return actionId;
    }

    /** Deliveries, redeliveries included. */
    public int deliveries() {
        return deliveries.get();
    }

    /** Distinct commands delivered. */
    public int commands() {
        return deliveriesByCommand.size();
    }

    /** Commands delivered more than once (after a broker outage, a scheduler that resumed publishing). */
    public int redelivered() {
        return (int)
                deliveriesByCommand.values().stream().filter(n -> n.get() > 1).count();
    }

    /** Results the broker confirmed, repeats included. */
    public int confirmed() {
        return confirmed.get();
    }

    /** Commands whose action the agents' trust refused (answered {@code failed}). */
    public int refusedCount() {
        return refused.get();
    }

    /** nanoTime of the first delivery, or {@link Long#MAX_VALUE} before any. */
    public long firstDeliveryNanos() {
        return firstDelivery.get();
    }

    /** nanoTime of the last delivery so far, or {@link Long#MIN_VALUE} before any. */
    public long lastDeliveryNanos() {
        return lastDelivery.get();
    }

    /** nanoTime of the last confirmed result so far. */
    public long lastConfirmNanos() {
        return lastConfirm.get();
    }
}

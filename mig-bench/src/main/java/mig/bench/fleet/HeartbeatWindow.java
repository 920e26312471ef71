package mig.bench.fleet;

/**
 * The simulated agents' heartbeats sent in a time window, and how the API answered them.
 *
 * @param sent      heartbeats sent
 * @param ok        answered 200
 * @param failed    answered otherwise, or not at all
 * @param perSecond sent per second over the window
 * @param p50Millis median time to the answer
 * @param p99Millis 99th percentile time to the answer
 */
public record HeartbeatWindow(int sent, int ok, int failed, double perSecond, double p50Millis, double p99Millis) {}

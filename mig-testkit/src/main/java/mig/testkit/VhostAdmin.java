package mig.testkit;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Creates and deletes AMQP virtual hosts on one broker. A vhost per test is the only real isolation
 * for MIG, whose exchange names are fixed ({@code toagents}, {@code toschedulers}): unique names
 * would not do, and redeclaring an exchange with other flags fails the whole channel.
 */
interface VhostAdmin {

    /** How vhosts are made, for logs, e.g. "rabbitmqctl import_definitions". */
    String description();

    /** How many vhosts one {@link #create} call should make; more where each call is expensive. */
    int batchSize();

    /** Creates the vhosts and gives the login user full permissions (".*" ".*" ".*") on each. */
    void create(List<String> vhosts) throws IOException;

    /** Deletes the vhost with everything in it; a vhost already gone is not an error. */
    void delete(String vhost) throws IOException;

    /**
     * The cheapest way to manage vhosts of a RabbitMQ reached at {@code endpoint}: its management
     * HTTP API (one request per call) if it answers on port 15672, else {@code rabbitmqctl} when the
     * broker is on this machine (a CLI start costs about 0.3 s, hence batches). Empty if neither.
     */
    static Optional<VhostAdmin> forRabbitMq(AmqpEndpoint endpoint) {
        Optional<VhostAdmin> api = RabbitManagementApi.probe(endpoint).map(VhostAdmin.class::cast);
        if (api.isPresent() || !endpoint.isLoopback()) {
            return api;
        }
        return RabbitCtl.find(endpoint.user()).map(VhostAdmin.class::cast);
    }
}

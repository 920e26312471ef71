package mig.bench.cluster;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mig.common.amqp.AmqpNames;

/**
 * Declares (or deletes) N agent-like queues {@code mig.agt.memtest.<i>} on a relay cluster, classic
 * durable as the original agent does or quorum, spread over the nodes (one connection per node), for
 * bench/rabbit-cluster.sh's memory-per-queue measurement.
 *
 * <p>usage: QueueMemory &lt;uri,uri,...&gt; classic|quorum &lt;count&gt; declare|delete
 */
public final class QueueMemory {

    private QueueMemory() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: QueueMemory <uri,uri,...> classic|quorum <count> declare|delete");
            System.exit(2);
        }
        String[] uris = args[0].split(",");
        Map<String, Object> qargs = "quorum".equals(args[1]) ? AmqpNames.AGENT_QUEUE_ON_CLUSTER : null;
        int count = Integer.parseInt(args[2]);
        boolean declare = "declare".equals(args[3]);
        List<Connection> conns = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        for (String u : uris) {
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(u);
            URI uri = new URI(u);
            Connection c = f.newConnection(List.of(new Address(uri.getHost(), uri.getPort())), "queue-memory");
            conns.add(c);
            channels.add(c.createChannel());
        }
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            // Each queue is declared through one node in turn: classic queues live there, quorum
            // queues have their leader there.
            Channel ch = channels.get(i % channels.size());
            String q = "mig.agt.memtest." + i;
            if (declare) {
                ch.queueDeclare(q, true, false, false, qargs);
            } else {
                ch.queueDelete(q);
            }
        }
        System.out.printf(
                "%s %d %s queues in %.1f s%n",
                declare ? "declared" : "deleted", count, args[1], (System.nanoTime() - start) / 1e9);
        for (Connection c : conns) {
            c.close();
        }
    }
}

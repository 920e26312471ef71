package mig.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.ConnectionFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With no settings, the resolver takes the servers running on 127.0.0.1 when they take a real
 * login (as on the project's machines), and starts embedded ones otherwise; either way tests are
 * isolated from each other.
 */
class ResolutionIT {

    private static ServiceResolver resolver;

    @BeforeAll
    static void resolveWithoutSettings() {
        resolver = ServiceResolver.resolve(Map.of());
    }

    @AfterAll
    static void close() {
        resolver.close();
    }

    @Test
    void picksTheLocalPostgresWhenItTakesALogin() {
        ServiceOrigin expected = localPostgresTakesLogin() ? ServiceOrigin.LOCAL : ServiceOrigin.EMBEDDED;
        assertEquals(expected, resolver.postgres().origin(), resolver.postgres().description());
    }

    @Test
    void picksTheLocalRabbitMqWhenItTakesALoginAndCanMakeVhosts() {
        ServiceOrigin expected =
                localRabbitMqTakesLogin() && rabbitmqctlInstalled() ? ServiceOrigin.LOCAL : ServiceOrigin.EMBEDDED;
        assertEquals(expected, resolver.amqp().origin(), resolver.amqp().description());
    }

    @Test
    void databasesAreIsolated() throws Exception {
        IsolationChecks.databasesAreSeparate(resolver.postgres());
    }

    @Test
    void vhostsAreIsolated() throws Exception {
        IsolationChecks.vhostsAreSeparate(resolver.amqp());
    }

    private static boolean localPostgresTakesLogin() {
        try (var c = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&connectTimeout=2&loginTimeout=2")) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean localRabbitMqTakesLogin() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setConnectionTimeout(2000);
        try (var c = factory.newConnection()) {
            return "RabbitMQ".equals(String.valueOf(c.getServerProperties().get("product")));
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean rabbitmqctlInstalled() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/lib/rabbitmq/bin";
        return Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "rabbitmqctl")));
    }
}

package mig.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives JUnit 5 tests a database and a vhost of their own:
 * <pre>{@code
 * @ExtendWith(MigServices.class)
 * class FooIT {
 *   @Test void x(TestDatabase db, TestBroker broker) { ... }
 * }
 * }</pre>
 * A {@link TestDatabase} or {@link TestBroker} parameter of a test method, or of a
 * {@code @BeforeEach}/{@code @AfterEach} method, is the one of that test method: created on first
 * request, shared by those three, dropped when the test is done. A parameter of a
 * {@code @BeforeAll}/{@code @AfterAll} method is one per test class, for classes that prefer to pay
 * for setup once. The servers behind them come from {@link TestServices}.
 */
public final class MigServices implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MigServices.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == TestBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        // The key holds the context's id so a test method never picks up its class's instance, which
        // the store would otherwise find by looking in the parent context.
        Key key = new Key(type, context.getUniqueId());
        return context.getStore(NAMESPACE)
                .computeIfAbsent(
                        key,
                        k -> type == TestDatabase.class
                                ? TestServices.postgres().newDatabase()
                                : TestServices.amqp().newBroker());
    }

    /** One resource per type and extension context. */
    private record Key(Class<?> type, String contextId) {}
}

package mig.common.target;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The columns of the {@code agents} table a target may use (spec §2.7, §6.3). Compiled SQL takes
 * column names from here, never from the target text, so a column the enum does not list cannot
 * reach the database.
 */
public enum Column {
    ID(ValueType.NUMBER),
    NAME(ValueType.TEXT),
    QUEUELOC(ValueType.TEXT),
    MODE(ValueType.TEXT),
    VERSION(ValueType.TEXT),
    PID(ValueType.NUMBER),
    STARTTIME(ValueType.TIMESTAMP),
    DESTRUCTIONTIME(ValueType.TIMESTAMP),
    HEARTBEATTIME(ValueType.TIMESTAMP),
    REFRESHTIME(ValueType.TIMESTAMP),
    STATUS(ValueType.TEXT),
    ENVIRONMENT(ValueType.JSON),
    TAGS(ValueType.JSON),
    LOADERNAME(ValueType.TEXT);

    private static final String ALLOWED =
            Arrays.stream(values()).map(Column::columnName).collect(Collectors.joining(", "));

    private final ValueType type;

    Column(ValueType type) {
        this.type = type;
    }

    /** @return the type the column has in PostgreSQL, as targets see it */
    public ValueType type() {
        return type;
    }

    /** @return the column name as in the schema, e.g. {@code heartbeattime} */
    public String columnName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the qualified SQL reference, e.g. {@code agents.heartbeattime} */
    public String sql() {
        return "agents." + columnName();
    }

    /** @return the column named {@code name} (case-insensitive, as in SQL), or empty if not whitelisted */
    public static Optional<Column> byName(String name) {
        return Arrays.stream(values())
                .filter(c -> c.columnName().equalsIgnoreCase(name))
                .findFirst();
    }

    /** @return the whitelist as "id, name, ..." for error messages */
    static String allowedNames() {
        return ALLOWED;
    }
}

package mig.common.target;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The agent-selection statement of spec §6.3 around a compiled target: only online and idle
 * agents, one per endpoint ({@code DISTINCT ON (queueloc)}), ordered by queueloc. The scheduler
 * uses it to expand an action into commands and the API's {@code search?type=agent&target=} to
 * preview a target. MIG ran it after {@code SET ROLE migreadonly}; callers should keep doing so,
 * as defence in depth, although the statement itself now carries no input text.
 */
public final class TargetQuery {

    /** The selected columns, in the order MIG's {@code ActiveAgentsByTarget} scans them. */
    public static final List<String> AGENT_COLUMNS = List.of(
            "id",
            "name",
            "queueloc",
            "version",
            "pid",
            "starttime",
            "destructiontime",
            "heartbeattime",
            "refreshtime",
            "status",
            "mode",
            "environment",
            "tags",
            "loadername");

    private static final String SELECT = "SELECT DISTINCT ON (agents.queueloc) "
            + AGENT_COLUMNS.stream().map(c -> "agents." + c).collect(Collectors.joining(", "))
            // 'online' and 'idle' are Agent.STATUS_ONLINE / STATUS_IDLE, fixed text of this class.
            + " FROM agents WHERE agents.status IN ('online', 'idle') AND (";

    private static final String ORDER = ") ORDER BY agents.queueloc ASC";

    private TargetQuery() {}

    /**
     * @param condition a compiled target, see {@link TargetCompiler#compile}
     * @return the full SELECT with the condition's parameters
     */
    public static SqlFragment agentsSql(SqlFragment condition) {
        return new SqlFragment(SELECT + condition.sql() + ORDER, condition.params());
    }

    /**
     * Parses, compiles and wraps a target string in one call.
     *
     * @throws TargetSyntaxException when the target is refused
     */
    public static SqlFragment agentsSql(String target) {
        return agentsSql(TargetCompiler.compile(Target.parse(target)));
    }
}

package mig.database;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import mig.common.Action;
import mig.common.Agent;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.json.GoJson;

/**
 * Commands in the {@code commands} table, read back whole: the command row joined with its action
 * and agent rows, as {@code GET /command} and the result searches show them.
 */
public final class CommandStore {

    /** The joined select: command columns, then the action's and the agent's, aliased apart. */
    static final String SELECT = "SELECT c.id AS cid, c.status AS cstatus, c.results, c.starttime AS cstart, "
            + "c.finishtime AS cfinish, "
            + "a.id, a.name, a.target, a.description, a.threat, a.operations, a.validfrom, a.expireafter, "
            + "a.starttime, a.finishtime, a.lastupdatetime, a.status, a.pgpsignatures, a.syntaxversion, "
            + "ag.id AS agid, ag.name AS agname, ag.queueloc AS agqueueloc, ag.mode AS agmode, "
            + "ag.version AS agversion "
            + "FROM commands c JOIN actions a ON a.id = c.actionid JOIN agents ag ON ag.id = c.agentid ";

    private final DataSource ds;

    public CommandStore(DataSource ds) {
        this.ds = ds;
    }

    /** One command with its action and agent. */
    public Optional<Command> get(long id) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT + "WHERE c.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading command " + id + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Inserts commands in one batch (they are new; the scheduler makes their ids).
     */
    public void insertAll(List<Command> commands) {
        if (commands.isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO commands (id, actionid, agentid, status, "
                    + "results, starttime, finishtime) VALUES (?, ?, ?, ?, ?::json, ?, ?)")) {
                for (Command cmd : commands) {
                    ps.setLong(1, cmd.id());
                    ps.setLong(2, cmd.action().id());
                    ps.setLong(3, cmd.agent().id());
                    ps.setString(4, cmd.status());
                    ps.setString(5, resultsJson(cmd.results()));
                    Rows.time(ps, 6, cmd.startTime());
                    Rows.time(ps, 7, cmd.finishTime());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException(
                    "inserting " + commands.size() + " commands of action "
                            + commands.get(0).action().id() + " failed: " + e.getMessage(),
                    e);
        }
    }

    /** Results as stored: Go JSON with NUL characters replaced by "NULL", as the original does. */
    public static String resultsJson(List<ModuleResult> results) {
        return GoJson.marshal(results).replace("\\u0000", "NULL");
    }

    /** Maps a row of {@link #SELECT}. */
    static Command read(ResultSet rs) throws SQLException {
        Action action = ActionStore.read(rs);
        Agent agent = new Agent(
                Rows.id(rs, "agid"),
                rs.getString("agname"),
                rs.getString("agqueueloc"),
                rs.getString("agmode"),
                rs.getString("agversion"),
                0,
                "",
                null,
                null,
                null,
                null,
                "",
                false,
                null,
                null);
        String results = rs.getString("results");
        List<ModuleResult> parsed =
                results == null ? null : GoJson.unmarshal(results, new TypeReference<List<ModuleResult>>() {});
        return new Command(
                Rows.id(rs, "cid"),
                action,
                agent,
                rs.getString("cstatus"),
                parsed,
                Rows.time(rs, "cstart"),
                Rows.time(rs, "cfinish"));
    }

    /** Reads every row of a result set made with {@link #SELECT}. */
    static List<Command> readAll(ResultSet rs) throws SQLException {
        List<Command> out = new ArrayList<>();
        while (rs.next()) {
            out.add(read(rs));
        }
        return out;
    }
}

package mig.database.loader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import mig.common.target.SqlFragment;
import mig.common.target.TargetQuery;
import mig.common.target.TargetSyntaxException;

/**
 * Manifest targets and expected environments: conditions on a loader row, written in the agent
 * target language. The original pasted them into SQL ({@code SELECT 1 FROM loaders WHERE id=$1 AND
 * <target>}), so any investigator with manifest or loader rights could run any SQL. Here they are
 * parsed and compiled like action targets (values become parameters, columns come from a list) and
 * evaluated against the loader presented as an agent row:
 *
 * <pre>
 *   target column   loader column
 *   id              id
 *   name            name (the agent name the loader last reported)
 *   queueloc        queueloc
 *   environment     env   (the original's targets write env, which is accepted and means this)
 *   tags            tags
 *   loadername      loadername
 *   heartbeattime   lastseen  (lastseen is accepted too)
 *   status          'online'
 *   other columns   NULL
 * </pre>
 */
public final class LoaderTargets {
    static final String LOADER_AS_AGENT = "SELECT l.id, COALESCE(l.name, '') AS name, COALESCE(l.queueloc, '') AS"
            + " queueloc, ''::varchar AS mode, ''::varchar AS version, 0 AS pid, NULL::timestamptz AS starttime,"
            + " NULL::timestamptz AS destructiontime, l.lastseen AS heartbeattime, NULL::timestamptz AS refreshtime,"
            + " 'online'::varchar AS status, l.env AS environment, l.tags, l.loadername FROM loaders l WHERE l.id = ?";

    private LoaderTargets() {}

    /**
     * Checks the syntax of a loader target.
     *
     * @throws TargetSyntaxException with the reason
     */
    public static SqlFragment compile(String target) {
        SqlFragment agents = TargetQuery.agentsSql(translate(target));
        String sql = agents.sql().replace(" FROM agents WHERE ", " FROM (" + LOADER_AS_AGENT + ") AS agents WHERE ");
        return new SqlFragment(sql, prepend(agents));
    }

    private static java.util.List<Object> prepend(SqlFragment f) {
        java.util.List<Object> p = new java.util.ArrayList<>();
        p.add(0L); // placeholder for the loader id, set by matches()
        p.addAll(f.params());
        return p;
    }

    /** Whether loader {@code id} satisfies {@code target}. */
    static boolean matches(Connection c, long id, String target) throws SQLException {
        SqlFragment q = compile(target);
        try (PreparedStatement ps = c.prepareStatement(q.sql())) {
            ps.setObject(1, java.math.BigDecimal.valueOf(id));
            for (int k = 1; k < q.params().size(); k++) {
                ps.setObject(k + 1, q.params().get(k));
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The original's loader column names, outside quoted strings: {@code env} becomes
     * {@code environment} and {@code lastseen} {@code heartbeattime}.
     */
    static String translate(String target) {
        StringBuilder out = new StringBuilder(target.length() + 16);
        int k = 0;
        while (k < target.length()) {
            char ch = target.charAt(k);
            if (ch == '\'') {
                int end = k + 1;
                while (end < target.length()) {
                    if (target.charAt(end) == '\'') {
                        if (end + 1 < target.length() && target.charAt(end + 1) == '\'') {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                end = Math.min(end + 1, target.length());
                out.append(target, k, end);
                k = end;
            } else if (Character.isLetter(ch) || ch == '_') {
                int end = k;
                while (end < target.length()
                        && (Character.isLetterOrDigit(target.charAt(end)) || target.charAt(end) == '_')) {
                    end++;
                }
                String word = target.substring(k, end);
                boolean qualified = k > 0 && target.charAt(k - 1) == '.';
                String lower = word.toLowerCase(Locale.ROOT);
                if (!qualified && lower.equals("env")) {
                    out.append("environment");
                } else if (!qualified && lower.equals("lastseen")) {
                    out.append("heartbeattime");
                } else {
                    out.append(word);
                }
                k = end;
            } else {
                out.append(ch);
                k++;
            }
        }
        return out.toString();
    }
}

package mig.common.target;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compiles a {@link Target} tree to a parameterized SQL condition over {@code agents} in one walk
 * that writes the SQL and collects the parameters together. Column names come from {@link Column},
 * operators from the AST's enums, and every value the investigator wrote (strings, numbers, JSON
 * keys and paths, intervals, action ids) becomes a {@code ?} parameter, so no input text reaches
 * the SQL.
 *
 * <p>String literals are bound according to what they are compared with: as text, as a number next
 * to {@code id}/{@code pid}, or as {@code ?::timestamptz} next to a time column. Java 17 has no
 * pattern matching in {@code switch}, so node kinds are dispatched with {@code instanceof}; the
 * tests check that every permitted record is handled.
 */
public final class TargetCompiler {

    /**
     * Deepest tree compiled. Parsed trees stay far below (at most about two boolean levels per
     * parenthesis); this bounds recursion for trees built by code.
     */
    static final int MAX_TREE_DEPTH = 4 * Target.MAX_DEPTH;

    /** The fixed text of {@link Target.FoundInAction}; its two parameters are the action id and 'true'/'false'. */
    static final String FOUND_IN_ACTION_SQL = "agents.id IN (SELECT commands.agentid FROM commands, "
            + "json_array_elements(commands.results) AS r WHERE commands.actionid = ? "
            + "AND r#>>'{foundanything}' = ?)";

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    private TargetCompiler() {}

    /**
     * @param target a parsed or hand-built target
     * @return the condition, to be placed inside {@code WHERE ... AND (<sql>)}
     * @throws IllegalArgumentException if a hand-built tree nests deeper than {@link #MAX_TREE_DEPTH}
     */
    public static SqlFragment compile(Target target) {
        TargetCompiler c = new TargetCompiler();
        c.condition(Objects.requireNonNull(target, "target"), 1);
        return new SqlFragment(c.sql.toString(), c.params);
    }

    private void condition(Target t, int depth) {
        if (depth > MAX_TREE_DEPTH) {
            throw new IllegalArgumentException("target tree nests deeper than " + MAX_TREE_DEPTH + " levels");
        }
        if (t instanceof Target.And and) {
            join(and.operands(), " AND ", depth);
        } else if (t instanceof Target.Or or) {
            join(or.operands(), " OR ", depth);
        } else if (t instanceof Target.Not not) {
            sql.append("NOT (");
            condition(not.operand(), depth + 1);
            sql.append(')');
        } else if (t instanceof Target.Comparison c) {
            ValueType type = c.commonType();
            operand(c.left(), type);
            sql.append(' ').append(c.op().sql()).append(' ');
            operand(c.right(), type);
        } else if (t instanceof Target.Match m) {
            operand(m.value(), ValueType.TEXT);
            sql.append(' ').append(m.op().sql(m.negated())).append(' ');
            operand(m.pattern(), ValueType.TEXT);
        } else if (t instanceof Target.In in) {
            ValueType type = in.commonType();
            operand(in.value(), type);
            sql.append(in.negated() ? " NOT IN (" : " IN (");
            for (int k = 0; k < in.values().size(); k++) {
                sql.append(k == 0 ? "" : ", ");
                operand(in.values().get(k), type);
            }
            sql.append(')');
        } else if (t instanceof Target.IsNull n) {
            operand(n.operand(), n.operand().type());
            sql.append(n.negated() ? " IS NOT NULL" : " IS NULL");
        } else if (t instanceof Target.Constant k) {
            bind("?", k.value());
        } else if (t instanceof Target.FoundInAction f) {
            sql.append(FOUND_IN_ACTION_SQL);
            params.add(f.actionId());
            params.add(Boolean.toString(f.found()));
        } else {
            throw new IllegalStateException(
                    "no SQL for target node " + t.getClass().getName());
        }
    }

    /** AND binds tighter than OR, so only an OR inside an AND needs parentheses. */
    private void join(List<Target> operands, String separator, int depth) {
        for (int k = 0; k < operands.size(); k++) {
            Target operand = operands.get(k);
            boolean parens = separator.equals(" AND ") && operand instanceof Target.Or;
            sql.append(k == 0 ? "" : separator).append(parens ? "(" : "");
            condition(operand, depth + 1);
            sql.append(parens ? ")" : "");
        }
    }

    /** Writes one operand; {@code context} is the type it is compared as, which decides how a string binds. */
    private void operand(Operand o, ValueType context) {
        if (o instanceof Operand.ColumnRef ref) {
            sql.append(ref.column().sql());
        } else if (o instanceof Operand.JsonPath path) {
            sql.append(path.column().sql());
            for (JsonStep step : path.steps()) {
                sql.append(step.operator());
                if (step instanceof JsonStep.Key key) {
                    bind("?", key.key());
                } else if (step instanceof JsonStep.Index index) {
                    bind("?", index.index());
                } else if (step instanceof JsonStep.Path p) {
                    bind("?::text[]", p.arrayLiteral());
                }
            }
        } else if (o instanceof Operand.StringLiteral s) {
            switch (context) {
                case NUMBER -> bind("?", ValueType.parseNumber(s.value()));
                case TIMESTAMP -> bind("?::timestamptz", s.value());
                default -> bind("?", s.value());
            }
        } else if (o instanceof Operand.NumberLiteral n) {
            bind("?", n.jdbcValue());
        } else if (o instanceof Operand.Now) {
            sql.append("NOW()");
        } else if (o instanceof Operand.RelativeTime r) {
            sql.append(r.future() ? "NOW() + " : "NOW() - ");
            bind("?::interval", r.interval().text());
        } else {
            throw new IllegalStateException("no SQL for operand " + o.getClass().getName());
        }
    }

    private void bind(String placeholder, Object value) {
        sql.append(placeholder);
        params.add(value);
    }
}

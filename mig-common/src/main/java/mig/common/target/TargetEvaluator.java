package mig.common.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Decides on the agent, from its own {@link TargetFacts}, whether an action's target could have
 * selected it: the check that makes a command replayed to an agent it was not meant for fail
 * (upstream issue #129). It walks the tree of {@link Target#parse} with PostgreSQL's semantics and
 * answers {@link Verdict#FALSE} only when the database provably would not select the agent.
 *
 * <p>The target is evaluated once for each status the agent may have in the database (online or
 * idle). Each condition evaluates to the set of SQL outcomes it could have (true, false, null): a
 * known fact gives one outcome, a column the agent cannot know ({@code id}, the times,
 * {@code loadername}), the result-chaining subquery, {@code NOW()}, ordering of text (it depends
 * on the database's collation) and regexes beyond plain words give all three. {@code NOT}, AND and
 * OR combine the sets outcome by outcome, which is Kleene's logic with SQL's null kept apart.
 * {@code WHERE} selects a row only when the outcome is true, so the verdict is:
 * only true → {@link Verdict#TRUE}, no true → {@link Verdict#FALSE} (false or null: not
 * selected), else {@link Verdict#UNKNOWN}.
 */
public final class TargetEvaluator {

    /** Whether the database would select the agent. */
    public enum Verdict {
        /** it would. */
        TRUE,
        /** it would not: the target is false or null for this agent's facts. */
        FALSE,
        /** it depends on what the agent cannot know. */
        UNKNOWN
    }

    private static final int T = 1;
    private static final int F = 2;
    private static final int N = 4;
    private static final int ANY = T | F | N;

    /** SQL NULL among a value's candidates. */
    private static final Object NULL = new Object();

    /** Regexes with the same meaning in PostgreSQL (ARE) and Java: plain words, optionally anchored. */
    private static final Pattern PLAIN_REGEX = Pattern.compile("\\^?[A-Za-z0-9 _-]*\\$?");

    private static final Pattern ASCII = Pattern.compile("\\p{ASCII}*");

    private final TargetFacts facts;
    private final String status;

    private TargetEvaluator(TargetFacts facts, String status) {
        this.facts = facts;
        this.status = status;
    }

    /**
     * @param target a target string as signed in an action
     * @return the verdict; {@link Verdict#UNKNOWN} for a target this platform does not parse (an
     *     original MIG API may have accepted it, and its scheduler decided what it selects)
     */
    public static Verdict evaluate(String target, TargetFacts facts) {
        Target tree;
        try {
            tree = Target.parse(target);
        } catch (TargetSyntaxException e) {
            return Verdict.UNKNOWN;
        }
        return evaluate(tree, facts);
    }

    /** @return whether the database would select an agent with {@code facts} for {@code target} */
    public static Verdict evaluate(Target target, TargetFacts facts) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(facts, "facts");
        // One walk per status the agent may have, so that status='online' OR status='idle' stays true.
        int outcomes = 0;
        for (String status : TargetFacts.STATUSES) {
            outcomes |= new TargetEvaluator(facts, status).condition(target, 1);
        }
        if ((outcomes & T) == 0) {
            return Verdict.FALSE;
        }
        return outcomes == T ? Verdict.TRUE : Verdict.UNKNOWN;
    }

    private int condition(Target t, int depth) {
        if (depth > TargetCompiler.MAX_TREE_DEPTH) {
            return ANY;
        }
        if (t instanceof Target.And and) {
            int acc = T;
            for (Target operand : and.operands()) {
                acc = combine(acc, condition(operand, depth + 1), TargetEvaluator::and);
            }
            return acc;
        } else if (t instanceof Target.Or or) {
            int acc = F;
            for (Target operand : or.operands()) {
                acc = combine(acc, condition(operand, depth + 1), TargetEvaluator::or);
            }
            return acc;
        } else if (t instanceof Target.Not not) {
            return negate(condition(not.operand(), depth + 1));
        } else if (t instanceof Target.Comparison c) {
            ValueType type = c.commonType();
            return pairwise(values(c.left(), type), values(c.right(), type), (l, r) -> compare(l, c.op(), r, type));
        } else if (t instanceof Target.Match m) {
            int outcomes = pairwise(
                    values(m.value(), ValueType.TEXT),
                    values(m.pattern(), ValueType.TEXT),
                    (v, p) -> match((String) v, m.op(), (String) p));
            return m.negated() ? negate(outcomes) : outcomes;
        } else if (t instanceof Target.In in) {
            ValueType type = in.commonType();
            List<Object> candidates = values(in.value(), type);
            int outcomes = F;
            for (Operand.Literal element : in.values()) {
                int eq = pairwise(
                        candidates, values(element, type), (l, r) -> compare(l, Target.ComparisonOp.EQ, r, type));
                outcomes = combine(outcomes, eq, TargetEvaluator::or);
            }
            return in.negated() ? negate(outcomes) : outcomes;
        } else if (t instanceof Target.IsNull n) {
            List<Object> candidates = values(n.operand(), n.operand().type());
            if (candidates == null) {
                return ANY;
            }
            int outcomes = 0;
            for (Object v : candidates) {
                outcomes |= (v == NULL) != n.negated() ? T : F;
            }
            return outcomes;
        } else if (t instanceof Target.Constant k) {
            return k.value() ? T : F;
        }
        // FoundInAction: which agents found something is only in the database.
        return ANY;
    }

    /** @return the values an operand may have for this agent (NULL for SQL null), or null when unknown */
    private List<Object> values(Operand o, ValueType context) {
        if (o instanceof Operand.StringLiteral s) {
            if (context == ValueType.NUMBER) {
                return one(ValueType.parseNumber(s.value()));
            }
            return context == ValueType.TEXT ? List.of(s.value()) : null;
        } else if (o instanceof Operand.NumberLiteral n) {
            return List.of(n.value());
        } else if (o instanceof Operand.ColumnRef ref) {
            return switch (ref.column()) {
                case NAME -> one(facts.name());
                case QUEUELOC -> one(facts.queueLoc());
                case MODE -> one(facts.mode());
                case VERSION -> one(facts.version());
                case PID -> facts.pid() == null ? null : List.of(BigDecimal.valueOf(facts.pid()));
                case STATUS -> List.of(status);
                case ENVIRONMENT -> one(facts.environment());
                case TAGS -> one(facts.tags());
                default -> null;
            };
        } else if (o instanceof Operand.JsonPath path) {
            JsonNode root = path.column() == Column.ENVIRONMENT
                    ? facts.environment()
                    : path.column() == Column.TAGS ? facts.tags() : null;
            return root == null ? null : json(root, path.steps());
        }
        // NOW() and NOW() +/- interval: the database's clock, and only compared with times the agent does not know.
        return null;
    }

    private static List<Object> one(Object value) {
        return value == null ? null : List.of(value);
    }

    /** Follows {@code -> ->> #> #>>} as PostgreSQL does on {@code json}: a missing key or index is null. */
    private static List<Object> json(JsonNode root, List<JsonStep> steps) {
        JsonNode node = root;
        for (JsonStep step : steps) {
            if (step instanceof JsonStep.Key key) {
                node = node.isObject() ? node.get(key.key()) : null;
            } else if (step instanceof JsonStep.Index index) {
                node = node.isArray() ? node.get(index.index()) : null;
            } else if (step instanceof JsonStep.Path p) {
                for (String element : p.elements()) {
                    if (node.isArray()) {
                        if (!element.matches("\\d{1,9}")) {
                            // PostgreSQL reads other text as an index (negative counts from the end) or fails.
                            return null;
                        }
                        node = node.get(Integer.parseInt(element));
                    } else {
                        node = node.isObject() ? node.get(element) : null;
                    }
                    if (node == null) {
                        break;
                    }
                }
            }
            if (node == null) {
                return List.of(NULL);
            }
        }
        if (!steps.get(steps.size() - 1).asText()) {
            return List.of(node);
        }
        if (node.isNull()) {
            return List.of(NULL);
        }
        if (node.isTextual()) {
            return List.of(node.textValue());
        }
        if (node.isBoolean()) {
            return List.of(Boolean.toString(node.booleanValue()));
        }
        // Numbers, objects and arrays come back as the text stored, whose spelling Jackson does not keep.
        return null;
    }

    private static int pairwise(List<Object> left, List<Object> right, BiFunction<Object, Object, Integer> op) {
        if (left == null || right == null) {
            return ANY;
        }
        int outcomes = 0;
        for (Object l : left) {
            for (Object r : right) {
                outcomes |= l == NULL || r == NULL ? N : op.apply(l, r);
            }
        }
        return outcomes;
    }

    private static int compare(Object left, Target.ComparisonOp op, Object right, ValueType type) {
        if (type == ValueType.NUMBER && left instanceof BigDecimal l && right instanceof BigDecimal r) {
            int c = l.compareTo(r);
            boolean holds = switch (op) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
            return holds ? T : F;
        }
        if (type == ValueType.TEXT && left instanceof String l && right instanceof String r) {
            // Equality is exact under PostgreSQL's deterministic collations; order is the collation's.
            return switch (op) {
                case EQ -> l.equals(r) ? T : F;
                case NE -> l.equals(r) ? F : T;
                default -> ANY;
            };
        }
        return ANY;
    }

    private static int match(String value, Target.MatchOp op, String pattern) {
        return switch (op) {
            case LIKE -> like(value, pattern, false);
            case ILIKE ->
                ASCII.matcher(value).matches() && ASCII.matcher(pattern).matches() ? like(value, pattern, true) : ANY;
            case REGEX, REGEX_CASE_INSENSITIVE -> {
                boolean insensitive = op == Target.MatchOp.REGEX_CASE_INSENSITIVE;
                if (!PLAIN_REGEX.matcher(pattern).matches()
                        || insensitive && !ASCII.matcher(value).matches()) {
                    yield ANY;
                }
                Pattern p = Pattern.compile(pattern, insensitive ? Pattern.CASE_INSENSITIVE : 0);
                yield p.matcher(value).find() ? T : F;
            }
        };
    }

    /** LIKE with PostgreSQL's default escape character, the backslash. */
    private static int like(String value, String pattern, boolean insensitive) {
        StringBuilder regex = new StringBuilder();
        for (int k = 0; k < pattern.length(); k++) {
            char c = pattern.charAt(k);
            if (c == '\\') {
                if (++k == pattern.length()) {
                    // PostgreSQL fails the query ("LIKE pattern must not end with escape character").
                    return ANY;
                }
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(k))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = Pattern.DOTALL | (insensitive ? Pattern.CASE_INSENSITIVE : 0);
        return Pattern.compile(regex.toString(), flags).matcher(value).matches() ? T : F;
    }

    private static int negate(int outcomes) {
        return ((outcomes & T) != 0 ? F : 0) | ((outcomes & F) != 0 ? T : 0) | (outcomes & N);
    }

    /** Lifts a three-valued operator to sets of outcomes: every outcome of {@code a} with every outcome of {@code b}. */
    private static int combine(int a, int b, BiFunction<Integer, Integer, Integer> op) {
        int out = 0;
        for (int x = 1; x <= N; x <<= 1) {
            for (int y = 1; y <= N; y <<= 1) {
                if ((a & x) != 0 && (b & y) != 0) {
                    out |= op.apply(x, y);
                }
            }
        }
        return out;
    }

    private static int and(int x, int y) {
        return x == F || y == F ? F : x == N || y == N ? N : T;
    }

    private static int or(int x, int y) {
        return x == T || y == T ? T : x == N || y == N ? N : F;
    }
}

package mig.common.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The SQL and parameters targets compile to. */
class TargetCompilerTest {

    private static final String FOUND = TargetCompiler.FOUND_IN_ACTION_SQL;

    /** Arguments: target, expected SQL, expected parameters. Written by hand. */
    static Stream<Arguments> compiled() {
        return Stream.of(
                Arguments.of("status='online'", "agents.status = ?", List.of("online")),
                Arguments.of(
                        "agents.queueloc like 'linux.%' AND tags->>'operator'='IT'",
                        "agents.queueloc LIKE ? AND agents.tags->>? = ?", List.of("linux.%", "operator", "IT")),
                Arguments.of(
                        "tags#>>'{operator}'='IT'", "agents.tags#>>?::text[] = ?", List.of("{\"operator\"}", "IT")),
                Arguments.of(
                        "environment#>'{aws}'->>'instanceid' <> ''",
                        "agents.environment#>?::text[]->>? <> ?",
                        List.of("{\"aws\"}", "instanceid", "")),
                Arguments.of(
                        "environment->'addresses'->>0 LIKE '10.%'",
                        "agents.environment->?->>? LIKE ?", List.of("addresses", 0, "10.%")),
                Arguments.of(
                        "environment->>'ident' NOT ILIKE '%ubuntu%'",
                        "agents.environment->>? NOT ILIKE ?", List.of("ident", "%ubuntu%")),
                Arguments.of(
                        "name ~* 'scl3' OR name !~ '^db'",
                        "agents.name ~* ? OR agents.name !~ ?",
                        List.of("scl3", "^db")),
                Arguments.of(
                        "environment->>'os' IN ('linux','darwin') AND mode='daemon'",
                        "agents.environment->>? IN (?, ?) AND agents.mode = ?",
                        List.of("os", "linux", "darwin", "daemon")),
                Arguments.of("pid NOT IN (1, 2)", "agents.pid NOT IN (?, ?)", List.of(1L, 2L)),
                Arguments.of(
                        "heartbeattime > NOW() - interval '1 minute'",
                        "agents.heartbeattime > NOW() - ?::interval",
                        List.of("1 minute")),
                Arguments.of(
                        "starttime < NOW() - INTERVAL '30 Days'",
                        "agents.starttime < NOW() - ?::interval",
                        List.of("30 days")),
                Arguments.of(
                        "refreshtime <= now() + interval '1 hour' AND destructiontime >= NOW()",
                        "agents.refreshtime <= NOW() + ?::interval AND agents.destructiontime >= NOW()",
                        List.of("1 hour")),
                Arguments.of(
                        "starttime > '2017-03-08T00:00:00Z'",
                        "agents.starttime > ?::timestamptz",
                        List.of("2017-03-08T00:00:00Z")),
                Arguments.of("id = '4892412351434'", "agents.id = ?", List.of(new BigDecimal("4892412351434"))),
                Arguments.of(
                        "id >= 1.5 AND pid > -1",
                        "agents.id >= ? AND agents.pid > ?",
                        List.of(new BigDecimal("1.5"), -1L)),
                Arguments.of("name='x'' OR 1=1 --'", "agents.name = ?", List.of("x' OR 1=1 --")),
                Arguments.of(
                        "loadername IS NULL OR loadername IS NOT NULL",
                        "agents.loadername IS NULL OR agents.loadername IS NOT NULL",
                        List.of()),
                Arguments.of(
                        "(name='a' OR name='b') AND NOT (mode='checkin' AND status='idle')",
                        "(agents.name = ? OR agents.name = ?) AND NOT (agents.mode = ? AND agents.status = ?)",
                        List.of("a", "b", "checkin", "idle")),
                Arguments.of("FALSE OR TRUE", "? OR ?", List.of(false, true)),
                Arguments.of(
                        DocumentedTargets.goChain("123456", "true") + " AND status='online'",
                        FOUND + " AND agents.status = ?",
                        List.of(123456L, "true", "online")),
                Arguments.of(
                        "id NOT IN (select agentid from commands, json_array_elements(commands.results) as r "
                                + "where actionid=9 and r#>>'{foundanything}' = 'false')",
                        "NOT (" + FOUND + ")",
                        List.of(9L, "false")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compiled")
    void compilesToTheExpectedSqlAndParameters(String target, String sql, List<Object> params) {
        SqlFragment fragment = TargetCompiler.compile(Target.parse(target));
        assertEquals(sql, fragment.sql());
        assertEquals(params, fragment.params());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("mig.common.target.DocumentedTargets#all")
    void compilesEveryDocumentedTargetWithoutAnyOfItsLiteralsInTheSql(String source, String target) {
        SqlFragment fragment = TargetCompiler.compile(Target.parse(target));
        // The fixed result-chaining text is ours; beyond it no quote or digit may appear, so no
        // string or number the investigator wrote is in the SQL.
        String ours = fragment.sql().replace(FOUND, "");
        assertFalse(ours.contains("'"), () -> source + " put a quote in " + fragment.sql());
        assertFalse(ours.chars().anyMatch(Character::isDigit), () -> source + " put a digit in " + fragment.sql());
        // ...and every string literal is bound as a parameter instead (json paths re-rendered).
        for (Token t : Tokenizer.tokenize(target)) {
            if (t.is(Token.Kind.STRING) && !t.value().equals("{foundanything}")) {
                boolean bound = fragment.params().contains(t.value())
                        || (t.value().startsWith("{")
                                && fragment.params()
                                        .contains(JsonStep.Path.parse(t.value(), true)
                                                .arrayLiteral()));
                assertTrue(bound, () -> source + " did not bind " + t.raw() + ": " + fragment.params());
            }
        }
    }

    @Test
    void wrapsTheConditionInTheAgentSelectionOfSection63() {
        SqlFragment query = TargetQuery.agentsSql("status='online' OR name LIKE '%db%'");
        assertEquals(
                "SELECT DISTINCT ON (agents.queueloc) agents.id, agents.name, agents.queueloc, agents.version, "
                        + "agents.pid, agents.starttime, agents.destructiontime, agents.heartbeattime, agents.refreshtime, "
                        + "agents.status, agents.mode, agents.environment, agents.tags, agents.loadername FROM agents "
                        + "WHERE agents.status IN ('online', 'idle') AND (agents.status = ? OR agents.name LIKE ?) "
                        + "ORDER BY agents.queueloc ASC",
                query.sql());
        assertEquals(List.of("online", "%db%"), query.params());
    }

    @Test
    void compilesEveryKindOfNodeOperandAndJsonStep() {
        Operand name = new Operand.ColumnRef(Column.NAME);
        Operand.StringLiteral x = new Operand.StringLiteral("x");
        Map<Class<?>, Target> targets = Map.of(
                Target.And.class, new Target.And(List.of(new Target.Constant(true), new Target.Constant(false))),
                Target.Or.class, new Target.Or(List.of(new Target.Constant(true), new Target.Constant(false))),
                Target.Not.class, new Target.Not(new Target.Constant(true)),
                Target.Comparison.class, new Target.Comparison(name, Target.ComparisonOp.LE, x),
                Target.Match.class, new Target.Match(name, Target.MatchOp.REGEX, false, x),
                Target.In.class, new Target.In(name, List.of(x), false),
                Target.IsNull.class, new Target.IsNull(name, true),
                Target.Constant.class, new Target.Constant(true),
                Target.FoundInAction.class, new Target.FoundInAction(1, true));
        assertEquals(Set.of(Target.class.getPermittedSubclasses()), targets.keySet());
        targets.values().forEach(TargetCompiler::compile);

        JsonStep key = new JsonStep.Key("k", false);
        Map<Class<?>, Operand> operands = Map.of(
                Operand.ColumnRef.class, name,
                Operand.JsonPath.class,
                        new Operand.JsonPath(
                                Column.TAGS,
                                List.of(key, new JsonStep.Index(1, false), new JsonStep.Path(List.of("a"), true))),
                Operand.StringLiteral.class, x,
                Operand.NumberLiteral.class, new Operand.NumberLiteral(BigDecimal.TEN),
                Operand.Now.class, new Operand.Now(),
                Operand.RelativeTime.class, new Operand.RelativeTime(true, new Operand.Interval("1 day")));
        Set<Class<?>> leaves = Arrays.stream(Operand.class.getPermittedSubclasses())
                .flatMap(c -> c.isInterface() ? Arrays.stream(c.getPermittedSubclasses()) : Stream.of(c))
                .collect(Collectors.toSet());
        assertEquals(leaves, operands.keySet());
        assertEquals(3, JsonStep.class.getPermittedSubclasses().length);
        operands.values().forEach(o -> TargetCompiler.compile(new Target.IsNull(o, false)));
        assertEquals(
                "agents.tags->?->?#>>?::text[] IS NULL",
                TargetCompiler.compile(new Target.IsNull(operands.get(Operand.JsonPath.class), false))
                        .sql());
    }

    @Test
    void refusesHandBuiltTreesDeeperThanTheLimitInsteadOfOverflowingTheStack() {
        Target deep = new Target.Constant(true);
        for (int k = 0; k < 5_000; k++) {
            deep = new Target.Not(deep);
        }
        Target tooDeep = deep;
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TargetCompiler.compile(tooDeep));
        assertEquals("target tree nests deeper than 256 levels", e.getMessage());
    }

    @Test
    void refusesAFragmentWhosePlaceholdersAndParametersDisagree() {
        assertThrows(IllegalArgumentException.class, () -> new SqlFragment("agents.name = ?", List.of()));
        assertEquals(1, new SqlFragment("r#>>'{a?}' = ?", List.of("x")).params().size());
    }
}

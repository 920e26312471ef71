package mig.common.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Targets that must be refused before any SQL exists, and what the investigator is told. */
class TargetRefusalTest {

    private static final String CHAIN_HEAD =
            "id IN (select agentid from commands, " + "json_array_elements(commands.results) as r where actionid=";

    /** Arguments: target, expected position, expected message fragment. */
    static Stream<Arguments> refused() {
        return Stream.of(
                // statement separators, comments, quoting tricks
                Arguments.of(
                        "status = 'online';",
                        17,
                        "target: unexpected ';' at position 17: only one boolean expression is allowed"),
                Arguments.of("status='online'; DROP TABLE agents", 15, "unexpected ';' at position 15"),
                Arguments.of("name='x' -- comment", 9, "unexpected '--' at position 9: SQL comments are not allowed"),
                Arguments.of("name='x' /* c */", 9, "unexpected '/*' at position 9: SQL comments are not allowed"),
                Arguments.of("' OR 1=1 --", 0, "unterminated string literal at position 0"),
                Arguments.of("name='' OR 1=1 --'", 15, "SQL comments are not allowed"),
                Arguments.of(
                        "name='x",
                        5,
                        "unterminated string literal at position 5: the quote opened here is never closed"),
                Arguments.of("name='\\' OR 1=1 --'", 16, "SQL comments are not allowed"),
                Arguments.of(
                        "name=\\'x'",
                        5,
                        "unexpected '\\' at position 5: a backslash may only appear inside a 'string'"),
                Arguments.of("name=$$x$$", 5, "dollar quoting and $n parameters are not allowed"),
                Arguments.of("name=$1", 5, "dollar quoting"),
                Arguments.of("name=E'\\x41'", 5, "prefixed string literal E'...' at position 5"),
                Arguments.of("name=U&'\\0041'", 6, "unexpected '&' at position 6"),
                Arguments.of("\"name\"='x'", 0, "double-quoted identifiers are not allowed"),
                Arguments.of("id::text = '1'", 2, "unexpected '::' at position 2: type casts are not allowed"),
                Arguments.of("name = 'a' || 'b'", 11, "unexpected '|' at position 11"),
                Arguments.of("name='a\u0000b'", 7, "NUL character at position 7"),
                Arguments.of("name='a'\u0007", 8, "unexpected character U+0007 at position 8"),
                Arguments.of("id = 1e5", 5, "malformed number '1e5'"),
                // parentheses
                Arguments.of("status='online') OR (1=1", 15, "unexpected ')' at position 15: unbalanced parentheses"),
                Arguments.of(
                        "(status='online'",
                        16,
                        "unexpected end of target at position 16: expected AND, OR or ')' to close the '(' at position 0"),
                Arguments.of("status IN ('online'", 19, "the IN list opened at position 10 is not closed"),
                // functions, columns, tables, keywords
                Arguments.of(
                        "pg_sleep(10) IS NULL",
                        0,
                        "function 'pg_sleep' is not allowed at position 0: the only function a target may call is NOW()"),
                Arguments.of("name='x' AND pg_sleep(10) IS NULL", 13, "function 'pg_sleep' is not allowed"),
                Arguments.of("lower(name) = 'x'", 0, "function 'lower' is not allowed"),
                Arguments.of("name = chr(39)", 7, "function 'chr' is not allowed"),
                Arguments.of(
                        "foo='bar'",
                        0,
                        "unknown column 'foo' at position 0: allowed columns are id, name, queueloc, "
                                + "mode, version, pid, starttime, destructiontime, heartbeattime, refreshtime, status, "
                                + "environment, tags, loadername"),
                Arguments.of("agents.secret='x'", 7, "unknown column 'secret' at position 7"),
                Arguments.of("investigators.name='x'", 0, "unknown table 'investigators' at position 0"),
                Arguments.of("os='linux'", 0, "unknown column 'os'"), // doc/concepts.rst:135 (fails in MIG too)
                Arguments.of("env#>>'{os}'='linux'", 0, "unknown column 'env'"), // loaders' target, doc/loader.rst:249
                Arguments.of(
                        "status='online' UNION SELECT name FROM investigators",
                        16,
                        "SQL keyword 'UNION' is not allowed at position 16: a target is one boolean expression"),
                Arguments.of("status='online' SELECT 1", 16, "SQL keyword 'SELECT' is not allowed"),
                Arguments.of("exists(select 1)", 0, "SQL keyword 'exists' is not allowed"),
                Arguments.of(
                        "status='online' status='idle'",
                        16,
                        "unexpected 'status' at position 16: expected AND, OR or the end of the target"),
                Arguments.of("status", 6, "unexpected end of target at position 6: expected a comparison"),
                Arguments.of("status BETWEEN 'a' AND 'b'", 7, "BETWEEN is not supported"),
                Arguments.of("name NOT 'x'", 9, "expected LIKE, ILIKE or IN after NOT"),
                Arguments.of("status IS 'online'", 10, "IS is only used as IS NULL or IS NOT NULL"),
                // subqueries other than the result chain
                Arguments.of("name IN (SELECT name FROM investigators)", 5, "subquery after 'IN' is not allowed"),
                Arguments.of(
                        "id IN (SELECT id FROM investigators)",
                        14,
                        "the result-chaining subquery must read id IN (SELECT agentid FROM commands"),
                Arguments.of(CHAIN_HEAD + "1 and r#>>'{foundanything}' = 'true' or 1=1)", 132, "expected ')'"),
                Arguments.of(
                        CHAIN_HEAD + "1 and r#>>'{operator}' = 'true')",
                        105,
                        "unexpected '{operator}' at position 105"),
                Arguments.of(CHAIN_HEAD + "1 and r#>>'{foundanything}' = 'TRUE')", 125, "expected 'true' or 'false'"),
                Arguments.of(CHAIN_HEAD + "abc and r#>>'{foundanything}' = 'true')", 95, "expected the action id"),
                Arguments.of(
                        CHAIN_HEAD + "99999999999999999 and r#>>'{foundanything}' = 'true')",
                        95,
                        "an action id is a whole number below 2^53"),
                // types
                Arguments.of(
                        "environment->>'arch' = 386",
                        21,
                        "invalid '=' at position 21: cannot compare text with a number; " + "quote the number"),
                Arguments.of("tags = 'IT'", 5, "json values cannot be compared; extract text with ->> or #>>"),
                Arguments.of("environment->'os' = 'linux'", 18, "json values cannot be compared"),
                Arguments.of("heartbeattime LIKE '2020%'", 14, "LIKE needs text on both sides, not a timestamp"),
                Arguments.of("tags ILIKE '%IT%'", 5, "ILIKE needs text on both sides, not json"),
                Arguments.of("id = 'abc'", 3, "'abc' is compared with a number but is not one"),
                Arguments.of("starttime > 5", 10, "cannot compare a timestamp with a number"),
                Arguments.of("name = NULL", 7, "NULL is not a value here; use IS NULL or IS NOT NULL"),
                Arguments.of("name IN ('a', NULL)", 14, "NULL is not allowed in an IN list"),
                Arguments.of("name IN ()", 9, "an IN list holds only 'string' and number literals"),
                Arguments.of("environment->>'isproxied' = true", 28, "TRUE and FALSE are conditions, not values"),
                Arguments.of("TRUE = TRUE", 0, "TRUE and FALSE are whole conditions, not values"),
                Arguments.of("name = (version)", 7, "a value cannot be parenthesized"),
                // json operators
                Arguments.of("name->>'x' = 'y'", 4, "json operators apply only to environment and tags, not to name"),
                Arguments.of(
                        "environment->>'aws'->>'instanceid' = 'x'",
                        19,
                        "unexpected '->>' at position 19: '->>' before it yields text, so no json operator can follow"),
                Arguments.of("environment#>>'os' = 'x'", 14, "a json path is written '{key}' or '{key,subkey}'"),
                Arguments.of("environment#>>'{}' = 'x'", 14, "json path key '' must be non-empty"),
                Arguments.of("environment#>>'{a\"b}' = 'x'", 14, "must be non-empty and free of"),
                Arguments.of("environment->>os = 'x'", 14, "'->>' takes a 'key' or an array index"),
                // time
                Arguments.of(
                        "heartbeattime > NOW() - interval '1 fortnight'",
                        33,
                        "interval '1 fortnight' must read '<count> <unit>'"),
                Arguments.of("heartbeattime > NOW() - interval '1 minute'' OR 1=1'", 33, "must read '<count> <unit>'"),
                Arguments.of(
                        "heartbeattime > NOW() - 1", 24, "only an interval may be added to or subtracted from NOW()"),
                Arguments.of("heartbeattime > NOW(1)", 20, "NOW() takes no arguments"),
                Arguments.of("heartbeattime > interval '1 day'", 16, "an interval may only follow NOW() + or NOW() -"),
                // size
                Arguments.of("", 0, "empty target at position 0"),
                Arguments.of(" \t\n", 0, "empty target"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWithThePositionAndAReason(String target, int position, String message) {
        TargetSyntaxException e = assertThrows(TargetSyntaxException.class, () -> Target.parse(target));
        assertTrue(e.getMessage().contains(message), () -> "message was: " + e.getMessage());
        assertEquals(position, e.position(), () -> "message was: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("target: "), e.getMessage());
    }

    @Test
    void reportsTheOffendingTokenAndTheReasonSeparately() {
        TargetSyntaxException e = assertThrows(
                TargetSyntaxException.class, () -> Target.parse("status='online' AND pg_sleep(10) IS NULL"));
        assertEquals("pg_sleep", e.token());
        assertEquals(20, e.position());
        assertEquals("the only function a target may call is NOW()", e.reason());
    }

    @Test
    void refusesTwoHundredNestedParenthesesWithoutOverflowingTheStack() {
        String deep = "(".repeat(200) + "status='online'" + ")".repeat(200);
        TargetSyntaxException e = assertThrows(TargetSyntaxException.class, () -> Target.parse(deep));
        assertEquals(
                "target: nesting too deep at position 64: more than 64 nested parentheses or NOTs; "
                        + "simplify the target",
                e.getMessage());
    }

    @Test
    void refusesDeepNotChainsAndAcceptsSixtyFourLevels() {
        assertThrows(TargetSyntaxException.class, () -> Target.parse("NOT ".repeat(500) + "status='online'"));
        String ok = "(".repeat(Target.MAX_DEPTH) + "status='online'" + ")".repeat(Target.MAX_DEPTH);
        assertEquals(Target.parse("status='online'"), Target.parse(ok));
    }

    @Test
    void refusesTargetsLongerThanTheActionsColumn() {
        String target = "name='" + "a".repeat(2100) + "'";
        TargetSyntaxException e = assertThrows(TargetSyntaxException.class, () -> Target.parse(target));
        assertEquals(
                "target: target of 2107 characters is too long at position 2048: the maximum is 2048 "
                        + "characters (actions.target is varchar(2048))",
                e.getMessage());
        String longest = "name='" + "a".repeat(2041) + "'";
        assertEquals(2048, longest.length());
        assertTrue(Target.parse(longest) instanceof Target.Comparison);
    }

    @Test
    void refusesHandBuiltNodesThatBreakTheirInvariants() {
        Operand name = new Operand.ColumnRef(Column.NAME);
        assertThrows(IllegalArgumentException.class, () -> new Target.And(List.of(new Target.Constant(true))));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Operand.JsonPath(Column.NAME, List.of(new JsonStep.Key("x", true))));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Target.Comparison(name, Target.ComparisonOp.EQ, new Operand.NumberLiteral(BigDecimal.ONE)));
        assertThrows(IllegalArgumentException.class, () -> new Target.FoundInAction(-1, true));
        assertThrows(IllegalArgumentException.class, () -> new Operand.Interval("1 minute; DROP"));
        assertThrows(IllegalArgumentException.class, () -> new JsonStep.Index(-1, true));
    }
}

package mig.common.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.math.BigDecimal;
import java.util.List;
import mig.common.target.Operand.ColumnRef;
import mig.common.target.Operand.JsonPath;
import mig.common.target.Operand.NumberLiteral;
import mig.common.target.Operand.StringLiteral;
import mig.common.target.Target.And;
import mig.common.target.Target.Comparison;
import mig.common.target.Target.ComparisonOp;
import mig.common.target.Target.FoundInAction;
import mig.common.target.Target.Match;
import mig.common.target.Target.MatchOp;
import mig.common.target.Target.Not;
import mig.common.target.Target.Or;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What targets parse to; refusals are in {@link TargetRefusalTest}. */
class TargetParserTest {

    private static final Target ONLINE = eq(Column.STATUS, "online");

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("mig.common.target.DocumentedTargets#all")
    void parsesEveryDocumentedTarget(String source, String target) {
        assertNotNull(Target.parse(target), source);
    }

    @Test
    void parsesAComparisonOfAColumnWithAString() {
        assertEquals(ONLINE, Target.parse("status='online'"));
    }

    @Test
    void readsKeywordsAndColumnsCaseInsensitivelyAndAcceptsTheAgentsQualifier() {
        Target expected = new And(
                List.of(new Match(new ColumnRef(Column.NAME), MatchOp.LIKE, false, new StringLiteral("x%")), ONLINE));
        assertEquals(expected, Target.parse("AGENTS.Name like 'x%' and Status = 'online'"));
        assertEquals(expected, Target.parse("agents . name LIKE 'x%' AND agents.status='online'"));
    }

    @Test
    void readsBothSpellingsOfNotEqual() {
        Target expected = new Comparison(new ColumnRef(Column.MODE), ComparisonOp.NE, new StringLiteral("checkin"));
        assertEquals(expected, Target.parse("mode != 'checkin'"));
        assertEquals(expected, Target.parse("mode<>'checkin'"));
    }

    @Test
    void unescapesDoubledQuotesAndKeepsBackslashesAsText() {
        assertEquals(eq(Column.NAME, "x' OR 1=1 --"), Target.parse("name='x'' OR 1=1 --'"));
        assertEquals(
                new Match(new ColumnRef(Column.NAME), MatchOp.LIKE, false, new StringLiteral("%\\.scl3\\.%")),
                Target.parse("name LIKE '%\\.scl3\\.%'"));
    }

    @Test
    void parsesJsonKeysPathsAndChains() {
        JsonPath operator = new JsonPath(Column.TAGS, List.of(new JsonStep.Path(List.of("operator"), true)));
        assertEquals(
                new Comparison(operator, ComparisonOp.EQ, new StringLiteral("IT")),
                Target.parse("tags#>>'{operator}'='IT'"));
        JsonPath instance = new JsonPath(
                Column.ENVIRONMENT, List.of(new JsonStep.Key("aws", false), new JsonStep.Key("instanceid", true)));
        assertEquals(
                new Comparison(instance, ComparisonOp.EQ, new StringLiteral("i-1")),
                Target.parse("environment->'aws'->>'instanceid' = 'i-1'"));
        JsonPath firstAddress = new JsonPath(
                Column.ENVIRONMENT, List.of(new JsonStep.Key("addresses", false), new JsonStep.Index(0, true)));
        assertEquals(new Target.IsNull(firstAddress, true), Target.parse("environment->'addresses'->>0 IS NOT NULL"));
        assertEquals(
                List.of("aws", "instance id"),
                JsonStep.Path.parse("{ aws , instance id }", true).elements());
    }

    @Test
    void parsesNowAndIntervalsInAnyCase() {
        Target expected = new Comparison(
                new ColumnRef(Column.HEARTBEATTIME),
                ComparisonOp.GT,
                new Operand.RelativeTime(false, new Operand.Interval("1 minute")));
        assertEquals(expected, Target.parse("heartbeattime > NOW() - interval '1 minute'"));
        assertEquals(expected, Target.parse("heartbeattime>now()-INTERVAL'1 Minute'"));
        assertEquals(
                new Comparison(new ColumnRef(Column.DESTRUCTIONTIME), ComparisonOp.LT, new Operand.Now()),
                Target.parse("destructiontime < now()"));
        assertEquals(
                new Operand.RelativeTime(true, new Operand.Interval("2 weeks")),
                ((Comparison) Target.parse("refreshtime < NOW() + interval '2 weeks'")).right());
    }

    @Test
    void parsesNegativeAndDecimalNumbers() {
        assertEquals(
                new Comparison(new ColumnRef(Column.PID), ComparisonOp.GT, new NumberLiteral(new BigDecimal("-1"))),
                Target.parse("pid > -1"));
        assertEquals(new NumberLiteral(new BigDecimal("1.5")), ((Comparison) Target.parse("id >= 1.5")).right());
    }

    @Test
    void givesNotPrecedenceOverAndAndAndOverOr() {
        Target name = eq(Column.NAME, "a");
        Target mode = eq(Column.MODE, "b");
        assertEquals(
                new Or(List.of(name, new And(List.of(mode, ONLINE)))),
                Target.parse("name='a' OR mode='b' AND status='online'"));
        assertEquals(
                new And(List.of(new Or(List.of(name, mode)), ONLINE)),
                Target.parse("(name='a' OR mode='b') AND status='online'"));
        assertEquals(new And(List.of(new Not(name), mode)), Target.parse("NOT name='a' AND mode='b'"));
        assertEquals(new Not(new Not(name)), Target.parse("NOT NOT (((name='a')))"));
    }

    @Test
    void parsesNegatedPatternsAndLists() {
        assertEquals(
                new Match(new ColumnRef(Column.NAME), MatchOp.ILIKE, true, new StringLiteral("%test%")),
                Target.parse("name NOT ILIKE '%test%'"));
        assertEquals(
                new Match(new ColumnRef(Column.NAME), MatchOp.REGEX_CASE_INSENSITIVE, true, new StringLiteral("^a")),
                Target.parse("name !~* '^a'"));
        assertEquals(
                new Target.In(
                        new ColumnRef(Column.PID),
                        List.of(new NumberLiteral(BigDecimal.ONE), new NumberLiteral(new BigDecimal("2"))),
                        true),
                Target.parse("pid NOT IN (1, 2)"));
        assertEquals(new Target.IsNull(new ColumnRef(Column.LOADERNAME), false), Target.parse("loadername IS NULL"));
        assertEquals(new Target.Constant(true), Target.parse("TRUE"));
    }

    @Test
    void parsesTheGoClientResultChainingPrefix() {
        Target found = Target.parse(DocumentedTargets.goChain("123456", "true") + " AND status='online'");
        assertEquals(new And(List.of(new FoundInAction(123456, true), ONLINE)), found);
        Target notFound = Target.parse(DocumentedTargets.goChain("42", "false"));
        assertEquals(new FoundInAction(42, false), notFound);
    }

    @Test
    void keepsTheGoClientPrecedenceQuirkWhenTheTargetHasATopLevelOr() {
        // MIG prepends "<chain> AND " without parentheses, so an OR in the target escapes the chain.
        Target quirk = Target.parse(DocumentedTargets.goChain("7", "true") + " AND status='online' OR status='idle'");
        assertEquals(
                new Or(List.of(new And(List.of(new FoundInAction(7, true), ONLINE)), eq(Column.STATUS, "idle"))),
                quirk);
    }

    @Test
    void parsesTheCheatSheetChainWithQualifiedColumnsAndAnyWhitespace() {
        assertEquals(
                new FoundInAction(12345, true),
                Target.parse(
                        "id IN (\n\tSELECT commands.agentid FROM commands,"
                                + "json_array_elements( commands.results )r WHERE commands.actionid=12345 AND r #>> '{foundanything}'='true' )"));
        assertEquals(
                new Not(new FoundInAction(9, false)),
                Target.parse(
                        "agents.id NOT IN (select agentid from commands, "
                                + "json_array_elements(commands.results) as r where actionid=9 and r#>>'{foundanything}' = 'false')"));
    }

    @Test
    void readsBackTheGoClientTextOfAResultChain() {
        FoundInAction chain = new FoundInAction(5033038708749L, false);
        assertEquals(DocumentedTargets.goChain("5033038708749", "false"), chain.goClientText());
        assertEquals(chain, Target.parse(chain.goClientText()));
    }

    private static Target eq(Column column, String value) {
        return new Comparison(new ColumnRef(column), ComparisonOp.EQ, new StringLiteral(value));
    }
}

package mig.modules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go RE2 syntax read with java.util.regex: same meaning or a clear refusal. */
class Re2Test {

    private static boolean find(String re, String text) throws Exception {
        return Re2.compile(re).matcher(text).find();
    }

    @ParameterizedTest(name = "{0} on \"{1}\" is {2}")
    @CsvSource(delimiter = '|', value = {
        "^wget$|wget|true",
        "^backup.+\\.sql$|backup-2020.sql|true",
        "(?P<year>[0-9]{4})-(?P<month>[0-9]{2})|on 2024-05-01|true",
        "(?<year>[0-9]{4})|1999|true",
        "[[:alpha:]]+[[:digit:]]|ab1|true",
        "^[[:^space:]]+$|no spaces|false",
        "[[:upper:]]|lower|false",
        "\\v|a<VT>b|true",
        "\\v|a<NL>b|false",
        "\\s|a<VT>b|false",
        "\\s|a<TAB>b|true",
        "\\101|A|true",
        "\\0|a<NUL>|true",
        "a{,3}|a{,3}|true",
        "${HOME}|x${HOME}|false",
        "\\$\\{HOME}|x${HOME}|true",
        "[a&&b]|&|true",
        "[[]|[|true",
        "[]a]|]|true",
        "(?i)WGET|wget|true",
        "(?i)straße|STRASSE|false",
        "(?i)é|É|true",
        "\\p{Greek}|λ|true",
        "\\pL|é|true",
        "\\p{^Greek}|λ|false",
        "a.c|a<NL>c|false",
        "(?s)a.c|a<NL>c|true",
        "x$|x<NL>|false",
        "(?m)x$|x<NL>|true",
        "\\Qa.b\\E|a.b|true",
        "\\Qa.b\\E|axb|false"
    })
    void readsRe2Syntax(String re, String text, boolean expected) throws Exception {
        String t = text.replace("<VT>", "\u000b").replace("<NL>", "\n").replace("<TAB>", "\t").replace("<NUL>", "\0");
        assertEquals(expected, find(re, t), () -> re + " translated to " + translated(re));
    }

    private static String translated(String re) {
        try {
            return Re2.toJava(re);
        } catch (Re2.Re2SyntaxException e) {
            return e.getMessage();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "(a)\\1|backreferences are not RE2",
        "a(?=b)|lookaround `(?=` is not supported by RE2",
        "a(?!b)|lookaround `(?!` is not supported by RE2",
        "(?<=a)b|lookaround `(?<=` is not supported by RE2",
        "(?>a)|atomic group `(?>` is not supported by RE2",
        "a*+|invalid nested repetition operator",
        "a++|invalid nested repetition operator",
        "a{2}+|invalid nested repetition operator",
        "a\\Z|invalid escape sequence `\\Z`",
        "\\e|invalid escape sequence `\\e`",
        "\\C|\\C (any byte) is not supported",
        "(?U)a*|the ungreedy flag U is not supported",
        "(?x)a b|invalid or unsupported Perl syntax `(?x`",
        "a{1001}|invalid repeat count `{1001}`",
        "(?P<na-me>x)|invalid named capture",
        "abc\\|trailing backslash at end of expression",
        "[[:nope:]]|invalid character class range `[:nope:]`",
        "[abc|missing closing ]"
    })
    void refusesWhatRe2RefusesOrJavaWouldReadDifferently(String re, String why) {
        Re2.Re2SyntaxException e = assertThrows(Re2.Re2SyntaxException.class, () -> Re2.compile(re));
        assertTrue(e.getMessage().startsWith("error parsing regexp: "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void javaSyntaxErrorsAreReportedTheGoWay() {
        Re2.Re2SyntaxException e = assertThrows(Re2.Re2SyntaxException.class, () -> Re2.compile("(abc"));
        assertTrue(e.getMessage().startsWith("error parsing regexp: "), e.getMessage());
        assertTrue(e.getMessage().endsWith(": `(abc`"), e.getMessage());
    }

    @Test
    void dotAndDollarOnlyTreatNewlineAsALineEnd() throws Exception {
        Pattern p = Re2.compile("^a.b$");
        assertTrue(p.matcher("a\rb").find());
        assertTrue(p.matcher("a\u2028b").find());
        assertFalse(p.matcher("a\nb").find());
    }
}

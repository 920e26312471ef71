package mig.modules.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go RE2 syntax and semantics on java.util.regex (expected answers are Go 1.19's). */
class GoRegexpTest {

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        // $ is end of text, not "before a final newline"
        "abc$|abc\\n|false",
        "(?m)abc$|abc\\ndef|true",
        "^def|abc\\ndef|false",
        "(?m)^def|abc\\ndef|true",
        // . excludes only \n unless (?s)
        "a.c|a\\rc|true",
        "a.c|a\\nc|false",
        "(?s)a.c|a\\nc|true",
        // ASCII Perl classes and word boundaries
        "^\\s$|\\u000b|false",
        "^\\w+$|caf\u00e9|false",
        "\\bcaf\\b|caf\u00e9|true",
        // POSIX classes
        "^[[:xdigit:]]+$|00fF|true",
        "^[[:alpha:][:digit:]]+$|a1|true",
        "[[:^alpha:]]|abc|false",
        // a brace that is not a repeat is a literal
        "a{|a{|true",
        "a{,2}|a{,2}|true",
        "^a{2}$|aa|true",
        // named groups, Unicode classes, escapes
        "(?P<first_name>b+)c|abbc|true",
        "\\p{Greek}+|\u03b1\u03b2|true",
        "\\pL|1|false",
        "\\x{263a}|\u263a|true",
        "\\101|A|true",
        "\\Q.*\\E|a.*b|true",
        "\\Q.*\\E|ab|false",
        // case-insensitivity is Unicode-aware, as Go's
        "(?i)k|\u212a|true",
        "(?i:A)b|aB|false",
        // a literal [ inside a class, & is not an intersection
        "^[a[]+$|[a[|true",
        "^[a&&b]+$|&|true",
        // ungreedy swaps laziness but not whether it matches
        "(?U)a+b|aab|true"
    })
    void matchesLikeGo(String expr, String text, boolean expected) {
        assertEquals(expected, GoRegexp.compile(expr).matches(unescape(text)), () -> "java regex: "
                + GoRegexp.compile(expr).pattern().pattern());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "(ab|missing closing )",
        "ab)|unexpected )",
        "[ab|missing closing ]",
        "*a|missing argument to repetition operator",
        "a**|invalid nested repetition operator",
        "a*+|invalid nested repetition operator",
        "a{1001}|invalid repeat count",
        "a{3,2}|invalid repeat count",
        "(?=a)|invalid or unsupported Perl syntax",
        "(?<!a)b|invalid or unsupported Perl syntax",
        "(?x)a|invalid or unsupported Perl syntax",
        "(a)\\1|invalid escape sequence",
        "a\\Z|invalid escape sequence",
        "\\G|invalid escape sequence",
        "[z-a]|invalid character class range",
        "[[:foo:]]|invalid character class range",
        "\\p{Klingon}|invalid character class range",
        "a\\|trailing backslash at end of expression"
    })
    void refusesWhatGoRefuses(String expr, String code) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoRegexp.compile(expr));
        assertTrue(e.getMessage().startsWith("error parsing regexp: " + code + ": `"), e.getMessage());
    }

    @Test
    void knowsWhichPatternsCanOnlyMatchAscii() {
        assertTrue(GoRegexp.compile("migref-memory-marker-[0-9]+").asciiOnly());
        assertTrue(GoRegexp.compile("^[a-z]\\w*\\b").asciiOnly());
        assertFalse(GoRegexp.compile("a.c").asciiOnly());
        assertFalse(GoRegexp.compile("[^a]").asciiOnly());
        assertFalse(GoRegexp.compile("\\S").asciiOnly());
        assertFalse(GoRegexp.compile("caf\u00e9").asciiOnly());
        assertFalse(GoRegexp.compile("(?i)kelvin").asciiOnly(), "(?i)k also matches U+212A");
    }

    @Test
    void findsTheLiteralsEveryMatchMustContain() {
        assertLiterals("migref-memory-marker-[0-9]+", "migref-memory-marker-", "migref-memory-marker-");
        assertLiterals("[a-z]+@mozilla\\.com", null, "@mozilla.com");
        assertLiterals("abcd*e", "abc", "abc");
        assertLiterals("ab(cdefgh)?ij", "ab", "ab");
        assertLiterals("ab|cd", null, null);
        assertLiterals("x(?i)abc", "x", "xabc");
        assertLiterals("^héllo", null, "héllo");
    }

    @Test
    void caseInsensitiveLiteralsMatchEitherAsciiCaseButNotLettersThatFoldBeyondAscii() {
        byte[] text = "..PassWoRD=..".getBytes(StandardCharsets.US_ASCII);
        GoRegexp re = GoRegexp.compile("(?i)passw[o0]rd=[^&]{8}");
        assertNull(re.prefixPattern(), "no exact prefix under (?i)");
        BytePattern literal = re.literalPattern();
        assertEquals(3, literal.length(), "'rd=': 'pa', 'w' are shorter and 's' may be U+017F");
        assertEquals(8, literal.indexIn(text, 0, text.length));
        assertEquals(-1, literal.indexIn("rd:".getBytes(StandardCharsets.US_ASCII), 0, 3));
        assertNull(GoRegexp.compile("(?i)kiss").literalPattern(), "k, i and s all fold to non-ASCII letters");
    }

    private static void assertLiterals(String expr, String prefix, String required) {
        GoRegexp re = GoRegexp.compile(expr);
        assertEquals(prefix == null ? -1 : 0, indexOf(re.prefixPattern(), prefix), "prefix of " + expr);
        assertEquals(required == null ? -1 : 0, indexOf(re.literalPattern(), required), "literal of " + expr);
        if (prefix != null) {
            assertEquals(prefix.getBytes(StandardCharsets.UTF_8).length, re.prefixPattern().length());
        }
        if (required != null) {
            assertEquals(required.getBytes(StandardCharsets.UTF_8).length, re.literalPattern().length());
        }
    }

    private static int indexOf(BytePattern p, String text) {
        if (p == null || text == null) {
            return p == null && text == null ? -1 : -2;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return p.indexIn(b, 0, b.length);
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\r", "\r").replace("\\u000b", "\u000b");
    }
}

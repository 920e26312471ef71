package mig.common.regex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoRegexpTest {

    private static String refused(String expr) {
        return assertThrows(GoRegexp.SyntaxException.class, () -> GoRegexp.compile(expr))
                .getMessage();
    }

    private static boolean find(String expr, String text) {
        return GoRegexp.compile(expr).find(text);
    }

    @Test
    void refusesWhatGoRefusesWithGoMessages() {
        assertEquals("error parsing regexp: missing closing ): `(ab`", refused("(ab"));
        assertEquals("error parsing regexp: invalid nested repetition operator: `**`", refused("a**"));
        assertEquals("error parsing regexp: invalid or unsupported Perl syntax: `(?=`", refused("(?=x)"));
        assertEquals("error parsing regexp: invalid escape sequence: `\\1`", refused("(a)\\1"));
        assertEquals("error parsing regexp: invalid escape sequence: `\\Z`", refused("a\\Z"));
        assertEquals("error parsing regexp: invalid repeat count: `{1001}`", refused("a{1001}"));
        assertEquals("error parsing regexp: invalid character class range: `[:foo:]`", refused("[[:foo:]]"));
        assertEquals("error parsing regexp: invalid nested repetition operator: `++`", refused("a++"));
    }

    @Test
    void refusesNestedRepeatsPastAThousandAsGoDoesInsteadOfRunningOutOfMemory() {
        assertEquals("error parsing regexp: invalid repeat count: `{1000}`", refused("((a{1000}){1000}){1000}"));
        assertEquals("error parsing regexp: invalid repeat count: `{2}`", refused("(a{1000}){2}"));
        assertEquals("error parsing regexp: invalid repeat count: `{11,}`", refused("((ab){100}c){11,}"));
        GoRegexp.compile("(a{10}){100}"); // 1000 in all: allowed, as in Go
    }

    @Test
    void refusesDeepNestingAndHugeProgramsWithoutOverflowingTheStack() {
        String deep = "(".repeat(100_000) + "a" + ")".repeat(100_000);
        assertTrue(refused(deep).startsWith("error parsing regexp: expression nests too deeply: `((("), refused(deep));
        assertTrue(refused("(?:\\pL{1000}b{1000}c{1000})".repeat(40))
                .startsWith("error parsing regexp: expression too large"));
        GoRegexp.compile("(".repeat(900) + "a" + ")".repeat(900));
    }

    @Test
    void refusesAnExpressionTooLongToParseBeforeParsingIt() {
        // an attack: RE2/J merges a literal run in quadratic time; 80,000 chars took 10 s of CPU
        String attack = "^wg" + "NOT ".repeat(20_000) + "e";
        assertTrue(refused(attack).startsWith("error parsing regexp: expression too large: `^wgNOT NOT"));
        assertTrue(
                refused("a".repeat(GoRegexp.MAX_LENGTH + 1)).startsWith("error parsing regexp: expression too large"));
        assertTrue(find("^" + "a".repeat(GoRegexp.MAX_LENGTH - 2) + "$", "a".repeat(GoRegexp.MAX_LENGTH - 2)));
    }

    @Test
    void goSyntaxThatJavaReadsDifferently() {
        assertTrue(find("(?U)a+", "aaa"));
        assertTrue(find("(?P<n>x)(?<m>y)", "xy"));
        assertTrue(find("^[[:alpha:]]+$", "abc"));
        assertFalse(find("a$", "a\n")); // $ is the end of the text, not before a final newline
        assertTrue(find("x\\b", "xé")); // \b is ASCII: é is not a word character, so there is a boundary
        assertFalse(find("\\s", "\u000B")); // Go's \s is [\t\n\f\r ]
        assertTrue(find("\\v", "\u000B"));
        assertFalse(find("\\s", "\u00A0"));
        assertTrue(find("(?i)k", "\u212A")); // Kelvin sign folds to k
        assertTrue(find("x{", "x{"));
    }

    @Test
    void catastrophicBacktrackingPatternsRunInLinearTime() {
        String line = ("abcdefghi,".repeat(40)).substring(0, 399) + "\n";
        long t0 = System.nanoTime();
        assertFalse(find("(.*,){11}P", line));
        assertFalse(find("(a+)+b", "a".repeat(100_000)));
        assertFalse(find("(x+x+)+y", "x".repeat(100_000)));
        System.out.printf("catastrophic patterns on long lines: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
    }

    @Test
    void decodesBytesTheWayGoReadsThem() {
        byte[] b = {
            (byte) 0xff,
            'a',
            (byte) 0xc3,
            'b',
            (byte) 0xe2,
            (byte) 0x82,
            'c',
            (byte) 0xed,
            (byte) 0xa0,
            (byte) 0x80,
            (byte) 0xc3,
            (byte) 0xa9,
            (byte) 0xf0,
            (byte) 0x9f,
            (byte) 0x98,
            (byte) 0x80
        };
        char[] out = new char[b.length];
        String s = new String(out, 0, GoRegexp.decodeUtf8(b, 0, b.length, out));
        assertEquals("\uFFFDa\uFFFDb\uFFFD\uFFFDc\uFFFD\uFFFD\uFFFDé\uD83D\uDE00", s);
        assertTrue(find("^.a.b..c...é.$", s));
    }

    @Test
    void requiredBytesAreALiteralEveryMatchContains() {
        GoRegexp.RequiredBytes r = GoRegexp.compile("(x|y)+password=[0-9]+").requiredBytes();
        assertArrayEquals("password=".getBytes(StandardCharsets.UTF_8), r.bytes());
        assertFalse(r.fold()[0]);
        GoRegexp.RequiredBytes f = GoRegexp.compile("(?i)ROOT:x").requiredBytes();
        assertArrayEquals("ROOT:X".getBytes(StandardCharsets.UTF_8), f.bytes());
        assertTrue(f.fold()[0]);
        assertFalse(f.fold()[4]);
        // k and s fold to non-ASCII letters under (?i): they are left out of a folding literal
        assertArrayEquals(
                "PA".getBytes(StandardCharsets.UTF_8),
                GoRegexp.compile("(?i)pass").requiredBytes().bytes());
        assertArrayEquals(
                "é".getBytes(StandardCharsets.UTF_8),
                GoRegexp.compile("x*é").requiredBytes().bytes());
        assertNull(GoRegexp.compile("a|b").requiredBytes());
        assertNull(GoRegexp.compile("(abc)*").requiredBytes());
        assertArrayEquals(
                "abc".getBytes(StandardCharsets.UTF_8),
                GoRegexp.compile("x?(abc){2,}").requiredBytes().bytes());
    }

    private static List<String> prefixes(String expr) {
        List<GoRegexp.RequiredBytes> p = GoRegexp.compile(expr).anchoredPrefixes();
        return p == null
                ? null
                : p.stream()
                        .map(r -> new String(r.bytes(), StandardCharsets.UTF_8))
                        .sorted()
                        .toList();
    }

    @Test
    void anchoredPrefixesAreTheLiteralsEveryMatchStartsWith() {
        // the sshkey module's candidate regex (the original's candidateRegex)
        assertEquals(List.of("-----BEGIN ", "ssh-"), prefixes("^(-----BEGIN (RSA|DSA) PRIVATE KEY|ssh-(rsa|dss) )"));
        assertEquals(List.of("abc", "def"), prefixes("^abc|^def"));
        assertEquals(List.of("ab"), prefixes("^(ab)+x"));
        assertEquals(
                List.of("ABC"),
                prefixes("(?i)^Abc").stream().map(String::toUpperCase).toList());
        // not anchored, anchored at a line (?m), or a match that may start with anything
        assertNull(prefixes("abc"));
        assertNull(prefixes("(?m)^abc"));
        assertNull(prefixes("^a*b"));
        assertNull(prefixes("^[ab]c"));
        assertNull(prefixes("^abc|def"));
        assertNull(prefixes("^"));
        // (?i) k folds to the Kelvin sign: the prefix stops before it, and is none if it starts there
        assertEquals(List.of("A"), prefixes("(?i)^ak"));
        assertNull(prefixes("(?i)^key"));
    }

    @Test
    void lineStartsAreTheFirstBytesOfTheAnchoredPrefixesInEitherCaseUnderFolding() {
        boolean[] starts = new boolean[256];
        assertTrue(GoRegexp.compile("^(-----BEGIN (RSA|DSA) PRIVATE KEY|ssh-(rsa|dss) )")
                .addLineStarts(starts));
        assertTrue(GoRegexp.compile("(?i)^ab").addLineStarts(starts));
        List<Character> marked = new java.util.ArrayList<>();
        for (int i = 0; i < 256; i++) {
            if (starts[i]) {
                marked.add((char) i);
            }
        }
        assertEquals(List.of('-', 'A', 'a', 's'), marked);
        // a regex a line may match whatever it starts with adds nothing and says so
        boolean[] none = new boolean[256];
        assertFalse(GoRegexp.compile("ssh-rsa").addLineStarts(none));
        assertFalse(GoRegexp.compile("(?i)^key").addLineStarts(none));
        for (boolean b : none) {
            assertFalse(b);
        }
    }

    /** mayMatchAt is only a shortcut: where it says no, Go's regexp finds nothing either. */
    @Test
    void aLineMayMatchAtIsNeverWrongAboutAMatch() {
        java.util.Random rnd = new java.util.Random(7);
        String[] exprs = {
            "^(-----BEGIN (RSA|DSA) PRIVATE KEY|ssh-(rsa|dss) )", "(?i)^ab(c|d)", "^é+x", "^abc|^abd", "^a"
        };
        String alphabet = "abcdABCDé-sh x\u00ff";
        int matches = 0;
        for (String expr : exprs) {
            GoRegexp re = GoRegexp.compile(expr);
            for (int n = 0; n < 20_000; n++) {
                StringBuilder line = new StringBuilder();
                int len = rnd.nextInt(8);
                for (int i = 0; i < len; i++) {
                    line.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
                if (rnd.nextInt(4) == 0) {
                    line.insert(0, rnd.nextBoolean() ? "ssh-rsa " : "-----BEGIN DSA PRIVATE KEY");
                }
                byte[] b = ("##" + line).getBytes(StandardCharsets.UTF_8);
                boolean found = re.find(line);
                matches += found ? 1 : 0;
                if (found) {
                    assertTrue(re.mayMatchAt(b, 2, b.length - 2), expr + " on " + line);
                    // and the line's first byte is one of those the line splitter lets through
                    boolean[] starts = new boolean[256];
                    assertTrue(re.addLineStarts(starts), expr);
                    assertTrue(b.length > 2 && starts[b[2] & 0xFF], expr + " on " + line);
                }
            }
        }
        assertTrue(matches > 1000, "the random lines matched too rarely to test anything: " + matches);
    }

    /** The expected values were printed by Go 1.19's regexp package for the same calls. */
    @Test
    void submatchReplaceAndFindAllAreGos() {
        assertEquals(
                java.util.List.of("ab", "", "b"), GoRegexp.compile("a(x)?(b)").findSubmatch("zzab"));
        assertNull(GoRegexp.compile("a(b)").findSubmatch("zz"));
        assertEquals("$1-b$1-c$1-", GoRegexp.compile("a*").replaceAllLiteral("baaac", "$1-"));
        assertEquals("/tmp/x//tmp", GoRegexp.compile("\\$\\{root\\}").replaceAllLiteral("${root}/x/${root}", "/tmp"));
        assertEquals(
                java.util.List.of("-path", "/etc", "-content", "'a b' -name 'c'", "x"),
                GoRegexp.compile("'.+'|\".+\"|\\S+").findAll("-path /etc -content 'a b' -name 'c' x"));
        assertEquals(
                java.util.List.of("", "aaa", "", ""), GoRegexp.compile("a*").findAll("baaac\u00e9"));
    }
}

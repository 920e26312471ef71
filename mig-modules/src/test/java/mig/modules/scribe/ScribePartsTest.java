package mig.modules.scribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import mig.modules.GoJsonSyntax;
import org.junit.jupiter.api.Test;

/** The pieces of the scribe engine whose behaviour came from Go: line reading, EVR, JSON syntax errors. */
class ScribePartsTest {

    /**
     * The expected pieces were printed by Go 1.19's bufio.Reader.ReadLine over the same input
     * (long pieces shown as first six characters, length, last six).
     */
    @Test
    void linesArePiecedAsGosReadLine() throws IOException {
        String in = "short MATCH line\r\n" + "x".repeat(5000) + "MATCH" + "y".repeat(3000) + "\n" + "z".repeat(4095)
                + "\r\nMATCH\n" + "q".repeat(4096) + "\n" + "\r\r\n\n" + "w".repeat(4095) + "\r" + "tail\r\nlast MATCH";
        List<String> pieces = new ArrayList<>();
        GoLines.read(
                new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)),
                s -> pieces.add(
                        s.length() > 12
                                ? s.substring(0, 6) + ".." + s.length() + ".." + s.substring(s.length() - 6)
                                : s));
        assertEquals(
                List.of(
                        "short ..16..H line",
                        "xxxxxx..4096..xxxxxx",
                        "xxxxxx..3909..yyyyyy",
                        "zzzzzz..4095..zzzzzz",
                        "",
                        "MATCH",
                        "qqqqqq..4096..qqqqqq",
                        "",
                        "\r",
                        "",
                        "wwwwww..4095..wwwwww",
                        "\rtail",
                        "last MATCH"),
                pieces);
    }

    @Test
    void evrComparesAsTheOriginal() throws Engine.ScribeError {
        assertTrue(Evr.compare(Evr.LESS_THAN, "2.6.32-504.12.2.el6", "2.6.32-573.8.1.el6"));
        assertTrue(Evr.compare(Evr.GREATER_THAN, "1:1.0", "2.0"));
        assertTrue(Evr.compare(Evr.EQUALS, "1.4.2", "0:1.4.2"));
        assertTrue(Evr.compare(Evr.LESS_THAN, "2.02-beta2", "2.6"));
        assertTrue(Evr.compare(Evr.GREATER_THAN, "1.0a", "1.0"), "more tokens in the actual value wins");
        assertTrue(Evr.compare(Evr.LESS_THAN, "1.a", "1.1"), "a number beats letters");
        assertEquals(
                "evrExtract: ends in dash",
                assertThrows(Engine.ScribeError.class, () -> Evr.compare(Evr.EQUALS, "1.0-", "1"))
                        .getMessage());
        assertEquals(
                "evrExtract: only epoch",
                assertThrows(Engine.ScribeError.class, () -> Evr.compare(Evr.EQUALS, "7:", "1"))
                        .getMessage());
        // a token of zeros only made the original index an empty string: its module's run failed with this
        assertEquals(
                "runtime error: index out of range [0] with length 0",
                assertThrows(Engine.ScribePanic.class, () -> Evr.compare(Evr.LESS_THAN, "1.00", "1.1"))
                        .getMessage());
    }

    @Test
    void jsonSyntaxErrorsAreGos() {
        assertEquals(null, GoJsonSyntax.check("{\"a\": [1, 2.5e3, true, null, \"x\\u00e9\"]}".getBytes()));
        assertEquals("unexpected end of JSON input", GoJsonSyntax.check("{\"a\": [1".getBytes()));
        assertEquals(
                "invalid character '}' looking for beginning of value", GoJsonSyntax.check("{\"a\": }".getBytes()));
        assertEquals("invalid character 't' after top-level value", GoJsonSyntax.check("{} trailing".getBytes()));
        assertEquals(
                "invalid character 'x' looking for beginning of object key string",
                GoJsonSyntax.check("{x:1}".getBytes()));
        assertEquals("invalid character ']' after object key", GoJsonSyntax.check("{\"a\"]".getBytes()));
        assertEquals("invalid character ']' after object key:value pair", GoJsonSyntax.check("{\"a\":1]".getBytes()));
        assertEquals("invalid character '}' after array element", GoJsonSyntax.check("[1}".getBytes()));
        assertEquals("invalid character 'x' in literal true (expecting 'r')", GoJsonSyntax.check("[tx]".getBytes()));
        assertEquals("invalid character '\\n' in string literal", GoJsonSyntax.check("[\"a\n\"]".getBytes()));
        assertEquals("invalid character 'q' in string escape code", GoJsonSyntax.check("[\"\\q\"]".getBytes()));
        assertEquals(
                "invalid character '.' after decimal point in numeric literal", GoJsonSyntax.check("[1..]".getBytes()));
        assertEquals("invalid character 'x' in numeric literal", GoJsonSyntax.check("[-x]".getBytes()));
        assertEquals("invalid character ']' in exponent of numeric literal", GoJsonSyntax.check("[1e]".getBytes()));
    }

    /**
     * An import chain that imports itself: the original recursed until Go's stack overflowed
     * (killing the agent); here the object gets an error and the run succeeds.
     */
    @Test
    void aSelfImportingChainIsAnErrorNotACrash(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("VERSION"), "VERSION=1\n");
        String doc = "{\"objects\":[{\"object\":\"root\",\"filecontent\":{\"path\":\"" + dir
                + "\",\"file\":\"^VERSION$\",\"expression\":\"^VERSION=(.*)$\",\"import-chain\":[\"loop\"]}},"
                + "{\"object\":\"loop\",\"filecontent\":{\"path\":\"${chain_root}\",\"file\":\"^VERSION$\","
                + "\"expression\":\"^VERSION=(.*)$\",\"import-chain\":[\"loop\"]}}],"
                + "\"tests\":[{\"test\":\"t\",\"object\":\"root\"}]}";
        java.nio.file.Path p = java.nio.file.Files.writeString(dir.resolve("doc.json"), doc);
        ScribeModule m = new ScribeModule(dir.resolve("no-dpkg"));
        mig.common.ModuleResult r = m.run(
                m.parseArgs(List.of("-path", p.toString())),
                mig.modules.RunContext.withTimeout(java.time.Duration.ofMinutes(1)));
        assertTrue(r.success());
        assertEquals(
                List.of("Error: import-chain nested deeper than 32 objects (an object that imports itself?) in \"t\""),
                r.errors());
    }
}

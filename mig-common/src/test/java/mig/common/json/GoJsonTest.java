package mig.common.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's encoding/json output rules (expected values produced by Go 1.19, spec §3.2). */
class GoJsonTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "1000|1000",
                "0.000001|0.000001",
                "0.0000001|1e-7",
                "1.5e-7|1.5e-7",
                "100000000000000000000|100000000000000000000",
                "1e21|1e+21",
                "12345678901234567890|12345678901234567000",
                "0.1|0.1",
                "-2.5|-2.5",
                "3.14159|3.14159",
                "1e100|1e+100",
                "1e-100|1e-100",
                "123456789.123|123456789.123",
                "5e-324|5e-324",
                "1.7976931348623157e308|1.7976931348623157e+308",
                "0|0",
                "-0.0|-0",
                "28090946682984|28090946682984"
            })
    void float64NumbersInGenericValuesAreFormattedLikeGo(String input, String expected) {
        assertEquals(expected, GoJson.marshal(GoJson.tree(input)));
    }

    @Test
    void stringsAreEscapedLikeGo() {
        assertEquals(
                "\"\\u003c10m \\u0026 \\u003e \\\" \\\\ \\n\\r\\t \\u0008\\u000c\\u0001 \\u2028\\u2029 / é \u007f\"",
                GoJson.marshal("<10m & > \" \\ \n\r\t \b\f\u0001 \u2028\u2029 / é \u007f"));
        assertEquals("\"\\ufffd\"", GoJson.marshal("\ud800"));
        assertEquals("\"😀\"", GoJson.marshal("😀"));
    }

    @Test
    void mapKeysAreSortedBytewise() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", List.of(true, false));
        m.put("\uffff", "bmp");
        m.put("😀", "astral");
        m.put("A", null);
        assertEquals("{\"A\":null,\"a\":[true,false],\"b\":1,\"\uffff\":\"bmp\",\"😀\":\"astral\"}", GoJson.marshal(m));
        assertEquals(
                "{\"a\":{\"c\":1,\"d\":2},\"b\":0}", GoJson.marshal(GoJson.tree("{\"b\":0,\"a\":{\"d\":2,\"c\":1}}")));
    }

    @Test
    void timesAreRfc3339WithTrimmedNanoseconds() {
        assertEquals("\"2017-02-10T14:15:31.01502Z\"", GoJson.marshal(Instant.parse("2017-02-10T14:15:31.015020000Z")));
        assertEquals("\"0001-01-01T00:00:00Z\"", GoJson.marshal(GoTime.ZERO));
        assertEquals("\"0009-01-11T11:11:11.000000011Z\"", GoJson.marshal(GoTime.ACTION_START_PLACEHOLDER));
        assertEquals(Instant.parse("2026-11-28T18:00:00Z"), GoTime.parse("2026-11-28T19:00:00+01:00"));
    }

    @Test
    void omitEmptyFollowsGoRules() {
        record Inner(@OmitEmpty String s) {}
        record Outer(
                @OmitEmpty int n,
                @OmitEmpty boolean b,
                @OmitEmpty List<String> l,
                @OmitEmpty Inner inner,
                @OmitEmpty Instant t,
                List<String> nil) {}
        assertEquals(
                "{\"inner\":{},\"t\":\"0001-01-01T00:00:00Z\",\"nil\":null}",
                GoJson.marshal(new Outer(0, false, List.of(), new Inner(""), GoTime.ZERO, null)));
        assertEquals(
                "{\"n\":3,\"b\":true,\"l\":[\"x\"],\"inner\":{\"s\":\"y\"},\"t\":\"0001-01-01T00:00:00Z\",\"nil\":[]}",
                GoJson.marshal(new Outer(3, true, List.of("x"), new Inner("y"), GoTime.ZERO, List.of())));
    }

    @Test
    void bytesAreBase64LikeGo() {
        assertEquals("\"aGk=\"", GoJson.marshal(new byte[] {'h', 'i'}));
    }

    @Test
    void unsupportedValuesAreRefused() {
        assertThrows(GoJsonException.class, () -> GoJson.marshal(Double.NaN));
        assertThrows(GoJsonException.class, () -> GoJson.marshal(new Object()));
        assertThrows(GoJsonException.class, () -> GoJson.tree("{\"a\":"));
        assertThrows(GoJsonException.class, () -> GoJson.tree(""));
    }
}

package mig.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import mig.common.json.GoJson;
import org.junit.jupiter.api.Test;

/** The signed string and the original's validation rules. */
class ActionTest {

    @Test
    void canonicalStringMatchesTheRecordedSignedStringByteForByte() {
        Action unsigned = GoJson.unmarshal(Resources.text("wire/05-action-unsigned.json"), Action.class);
        Action signed = GoJson.unmarshal(Resources.text("wire/05-action-signed.json"), Action.class);
        Action withSignedTimes = unsigned.withTimes(signed.validFrom(), signed.expireAfter());
        assertEquals(Resources.text("wire/05-action-signed-string.txt"), withSignedTimes.canonicalString());
        assertEquals(Resources.text("wire/05-action-signed-string.txt"), signed.canonicalString());
    }

    @Test
    void canonicalStringOfTheDocsExample() {
        JsonNode params = GoJson.tree("{\"searches\":{\"s1\":{\"paths\":[\"/etc\"],\"names\":[\"passwd\"],"
                + "\"options\":{\"maxdepth\":1000,\"maxerrors\":30,\"matchall\":true,\"macroal\":false,"
                + "\"mismatch\":null,\"matchlimit\":1000}}}}");
        Action a = Action.draft(
                "my fancy action",
                "tags->>'operator'='opsec'",
                Instant.ofEpochSecond(1486736196),
                Instant.ofEpochSecond(1486736556),
                List.of(Operation.of("file", params)));
        assertEquals(
                "name=my fancy action;target=tags->>'operator'='opsec';validfrom=1486736196;"
                        + "expireafter=%!s(int64=1486736556);operations=[{\"module\":\"file\",\"parameters\":{\"searches\":"
                        + "{\"s1\":{\"names\":[\"passwd\"],\"options\":{\"macroal\":false,\"matchall\":true,\"matchlimit\":1000,"
                        + "\"maxdepth\":1000,\"maxerrors\":30,\"mismatch\":null},\"paths\":[\"/etc\"]}}}}];",
                a.canonicalString());
    }

    @Test
    void sizeFiltersAreSignedWithGoHtmlEscapes() {
        Action a = Action.draft(
                "n",
                "t",
                Instant.EPOCH,
                Instant.EPOCH,
                List.of(Operation.of("file", GoJson.tree("{\"sizes\":[\"<10m\"],\"x\":1.5e-7,\"y\":1e21}"))));
        assertEquals(
                "name=n;target=t;validfrom=0;expireafter=%!s(int64=0);operations=[{\"module\":\"file\","
                        + "\"parameters\":{\"sizes\":[\"\\u003c10m\"],\"x\":1.5e-7,\"y\":1e+21}}];",
                a.canonicalString());
    }

    @Test
    void compressedOperationsAreSignedCompressedAndDecompressBack() {
        Operation plain = Operation.of("file", GoJson.tree("{\"searches\":{\"s1\":{\"paths\":[\"/etc\"]}}}"));
        Operation packed = plain.compressed();
        assertEquals(true, packed.isCompressed());
        assertEquals(true, packed.parameters().isTextual());
        assertEquals(
                GoJson.marshal(plain.parameters()),
                GoJson.marshal(packed.decompressed().parameters()));
        Action a = Action.draft("n", "t", Instant.EPOCH, Instant.EPOCH, List.of(packed));
        assertEquals(true, a.canonicalString().contains("\"is_compressed\":true"));
    }

    @Test
    void corruptCompressedParametersAreRefusedClearly() {
        Operation bad = new Operation("file", GoJson.tree("\"bm90IGd6aXA=\""), true, false);
        var e = assertThrows(mig.common.json.GoJsonException.class, bad::decompressed);
        assertEquals("operation 'file': compressed parameters are not gzip: Not in GZIP format", e.getMessage());
    }

    @Test
    void validationFollowsTheOriginalsOrderAndMessages() {
        Instant now = Instant.parse("2026-11-28T19:05:00Z");
        Action ok = GoJson.unmarshal(Resources.text("wire/05-action-signed.json"), Action.class);
        ok.validate(now);
        assertEquals(
                "action expireafter is in the past",
                assertThrows(InvalidActionException.class, () -> ok.validate(Instant.parse("2026-11-28T19:10:23Z")))
                        .getMessage());
        assertEquals(
                "action pgpsignatures is empty",
                assertThrows(
                                InvalidActionException.class,
                                () -> ok.withSignatures(List.of()).validate(now))
                        .getMessage());
        assertEquals(
                "action expireafter is set before action validfrom",
                assertThrows(
                                InvalidActionException.class,
                                () -> ok.withTimes(ok.expireAfter(), ok.validFrom())
                                        .validate(now))
                        .getMessage());
        assertEquals(
                "action operations is empty",
                assertThrows(
                                InvalidActionException.class,
                                () -> ok.withOperations(null).validate(now))
                        .getMessage());
        assertEquals(
                "action name is empty",
                assertThrows(InvalidActionException.class, () -> Action.EMPTY.validate(now))
                        .getMessage());
    }
}

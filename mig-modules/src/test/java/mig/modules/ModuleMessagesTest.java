package mig.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mig-agent -m <module>} given what a user first tries: the module's bare parameters (what
 * {@code mig file -p} shows), a message without parameters, nothing. Each answer names the shape
 * it expects, with an example a user can copy.
 */
class ModuleMessagesTest {

    private static ModuleResult run(String stdin, int expectedCode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ModuleMessages.runFromStdin(
                Modules.get("file").orElseThrow(),
                new BufferedReader(new StringReader(stdin)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                false,
                Duration.ofSeconds(30));
        assertEquals(expectedCode, code);
        return GoJson.unmarshal(out.toString(StandardCharsets.UTF_8), ModuleResult.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"searches\":{\"s1\":{\"paths\":[\"/etc\"],\"names\":[\"^passwd$\"]}}}\n",
                "{\"class\":\"parameters\"}\n",
                "\n",
                ""
            })
    void aWrongInputSaysTheExpectedShapeWithAnExample(String stdin) {
        ModuleResult r = run(stdin, 1);
        assertEquals(1, r.errors().size(), r.errors().toString());
        assertTrue(
                r.errors().get(0).contains("expected one line {\"class\":\"parameters\",\"parameters\":{...}}"),
                r.errors().get(0));
        assertTrue(
                r.errors()
                        .get(0)
                        .endsWith("e.g. for file: {\"class\":\"parameters\",\"parameters\":{\"searches\":"
                                + "{\"s1\":{\"paths\":[\"/etc\"],\"names\":[\"^passwd$\"]}}}}"),
                r.errors().get(0));
    }

    @Test
    void theExampleInTheErrorIsAnInputTheModuleRuns() {
        String example = ModuleMessages.EXPECTED.substring(ModuleMessages.EXPECTED.indexOf("for file: ") + 10);
        ModuleResult r = run(example + "\n", 0);
        assertTrue(r.success(), String.valueOf(r.errors()));
    }
}

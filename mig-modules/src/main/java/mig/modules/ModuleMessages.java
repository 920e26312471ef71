package mig.modules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;

/**
 * The original's module message protocol on stdin/stdout ({@code mig-agent -m <module>}): one line
 * of JSON {@code {"class":"parameters","parameters":{...}}} in, one result JSON out (or, with
 * {@code -p}, the module's human lines).
 */
public final class ModuleMessages {

    /**
     * The shape a module reads, for the errors: the module's own parameters (what {@code mig
     * <module> -p} prints under {@code operations[].parameters}) wrapped in a parameters message.
     */
    static final String EXPECTED = "expected one line {\"class\":\"parameters\",\"parameters\":{...}} where"
            + " {...} are the module's parameters, e.g. for file: {\"class\":\"parameters\",\"parameters\":"
            + "{\"searches\":{\"s1\":{\"paths\":[\"/etc\"],\"names\":[\"^passwd$\"]}}}}";

    /** The longest parameters line accepted on stdin. */
    static final int MAX_LINE_CHARS = 64 * 1024 * 1024;

    private ModuleMessages() {}

    /** The parameters message for {@code parameters}, as the agent writes it to a module. */
    public static String parametersMessage(JsonNode parameters) {
        ObjectNode msg = JsonNodeFactory.instance.objectNode();
        msg.put("class", "parameters");
        msg.set("parameters", parameters);
        return GoJson.marshal(msg);
    }

    /**
     * Reads one parameters message, runs the module, writes the result.
     *
     * @return the process exit code: 0 when a result was written, 1 when the input was unusable
     *         (a result with the error is still written, so a caller always gets JSON)
     */
    public static int runFromStdin(
            Module module, BufferedReader in, PrintStream out, boolean pretty, Duration timeout) {
        ModuleResult result;
        int code = 0;
        try {
            JsonNode params = readParameters(in);
            result = module.run(params, RunContext.withTimeout(timeout));
        } catch (ParameterException e) {
            result = ModuleResult.error(e.getMessage());
            code = 1;
        }
        if (pretty && module instanceof HasResultsPrinter printer) {
            List<String> lines = printer.printResults(result, false);
            lines.forEach(out::println);
        } else {
            out.println(GoJson.marshal(result));
        }
        out.flush();
        return code;
    }

    static JsonNode readParameters(BufferedReader in) throws ParameterException {
        String line;
        try {
            line = in.readLine();
        } catch (IOException e) {
            throw new ParameterException("failed to read module input: " + e.getMessage(), e);
        }
        if (line == null || line.isBlank()) {
            throw new ParameterException("no input: " + EXPECTED);
        }
        if (line.length() > MAX_LINE_CHARS) {
            throw new ParameterException("module input exceeds " + MAX_LINE_CHARS + " characters");
        }
        JsonNode msg;
        try {
            msg = GoJson.tree(line);
        } catch (GoJsonException e) {
            throw new ParameterException("module input is not JSON: " + e.getMessage(), e);
        }
        JsonNode cls = msg.get("class");
        if (cls == null || !"parameters".equals(cls.asText())) {
            throw new ParameterException("module input has class " + (cls == null ? "null" : cls) + ": " + EXPECTED);
        }
        JsonNode params = msg.get("parameters");
        if (params == null || params.isNull()) {
            throw new ParameterException("module input has no parameters: " + EXPECTED);
        }
        return params;
    }
}

package mig.modules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A module whose parameters can be given as command-line flags: {@code mig file -path /etc -name
 * passwd}. The flags, defaults and help text are the original client's.
 */
public interface HasParamsParser {

    /**
     * Turns the module's flags into its parameters JSON, validated; or null when, as some of the
     * original's parsers did for no arguments, the module's answer is its help text and no error.
     *
     * @throws ParameterException naming the flag and the rule it breaks
     */
    JsonNode parseArgs(List<String> args) throws ParameterException;

    /** The text {@code mig <module> help} prints. */
    String help();
}

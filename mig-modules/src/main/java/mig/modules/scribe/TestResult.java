package mig.modules.scribe;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import mig.common.json.GoJson;
import mig.common.json.OmitEmpty;

/**
 * The original's {@code scribe.TestResult}: a test's outcome as the module returns it, in its
 * field order ({@code tags} omitted when empty, {@code results} null when there are none).
 */
record TestResult(
        @JsonProperty("testid") String testId,
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("tags") @OmitEmpty List<Tag> tags,
        @JsonProperty("iserror") boolean isError,
        @JsonProperty("error") String error,
        @JsonProperty("masterresult") boolean masterResult,
        @JsonProperty("hastrueresults") boolean hasTrueResults,
        @JsonProperty("results") List<Sub> results) {

    record Tag(
            @JsonProperty("key") @OmitEmpty String key,
            @JsonProperty("value") @OmitEmpty String value) {}

    record Sub(
            @JsonProperty("result") boolean result,
            @JsonProperty("identifier") String identifier) {}

    /** The module's elements. */
    record Elements(
            @JsonProperty("results") List<TestResult> results,
            @JsonProperty("humanoutput") boolean humanOutput,
            @JsonProperty("jsonoutput") boolean jsonOutput) {}

    /** The module's statistics. */
    record Statistics(@JsonProperty("execruntime") String execruntime) {}

    /** {@code SingleLineResults}: greppable lines. */
    List<String> singleLines() {
        List<String> lns = new ArrayList<>();
        String rs = isError ? "[error]" : masterResult ? "[true]" : "[false]";
        String namestr = name.isEmpty() ? testId : name;
        lns.add("master " + rs + " name:\"" + namestr + "\" id:\"" + testId + "\" hastrue:" + hasTrueResults
                + " error:\"" + error + "\"");
        if (results != null) {
            for (Sub x : results) {
                lns.add("sub " + (x.result() ? "[true]" : "[false]") + " name:\"" + namestr + "\" id:\"" + testId
                        + "\" identifier:\"" + x.identifier() + "\"");
            }
        }
        return lns;
    }

    /** {@code JSON()}: the result as one JSON document. */
    String json() {
        return GoJson.marshal(this);
    }

    /** {@code String()}: the human form, lines joined with newlines. */
    String human() {
        List<String> lns = new ArrayList<>();
        lns.add(name.isEmpty() ? "result for \"" + testId + "\"" : "result for \"" + name + "\" (" + testId + ")");
        if (!description.isEmpty()) {
            lns.add("\tdescription: " + description);
        }
        if (masterResult) {
            lns.add("\tmaster result: true");
        } else {
            lns.add("\tmaster result: false"
                    + (hasTrueResults ? ", has true results, failure caused by dependency" : ""));
        }
        if (tags != null) {
            for (Tag x : tags) {
                lns.add("\ttag: " + nullToEmpty(x.key()) + ": " + nullToEmpty(x.value()));
            }
        }
        if (isError) {
            lns.add("\t[error] error: " + error);
        }
        if (results != null) {
            for (Sub x : results) {
                lns.add("\t[" + x.result() + "] identifier: \"" + x.identifier() + "\"");
            }
        }
        return String.join("\n", lns);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

package mig.agent.testmodules;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import mig.common.ModuleResult;
import mig.modules.Module;
import mig.modules.RunContext;

/**
 * Test-only module {@code nap}: a command with a visible effect that takes a while. It appends
 * {@code "<marker>\n"} to the file {@code "effects"} when it starts (so a test, in this JVM or
 * another, counts how often it ran), then sleeps {@code "seconds"} (interruptible) and returns the
 * marker.
 */
public final class NapModule implements Module {

    @Override
    public String name() {
        return "nap";
    }

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        String marker = parameters.path("marker").asText("");
        Path effects = Path.of(parameters.path("effects").asText());
        try {
            Files.writeString(
                    effects,
                    marker + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // The nap is the "takes a while" this module stands for.
            Thread.sleep((long) (parameters.path("seconds").asDouble(1) * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ModuleResult.error("interrupted");
        }
        return new ModuleResult(true, true, parameters.path("marker"), null, null);
    }

    /** How many times a nap with {@code marker} started, according to {@code effects}. */
    public static long runs(Path effects, String marker) throws IOException {
        if (!Files.exists(effects)) {
            return 0;
        }
        return Files.readAllLines(effects, StandardCharsets.UTF_8).stream()
                .filter(marker::equals)
                .count();
    }
}

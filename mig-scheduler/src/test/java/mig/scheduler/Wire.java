package mig.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import mig.common.json.GoJson;

/** The recorded AMQP messages of the original platform (copied from the shared wire vectors). */
public final class Wire {

    /** One recorded message: its body exactly as published, and its AMQP properties. */
    public record Message(String routingKey, String payload, JsonNode properties) {}

    private Wire() {}

    /** Commands the original scheduler published on {@code toagents}. */
    public static List<Message> toAgents() {
        return read("wire/amqp-tap-toagents.json");
    }

    public static String resource(String name) {
        try (InputStream in = Wire.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Message> read(String name) {
        List<Message> out = new ArrayList<>();
        for (JsonNode n : GoJson.tree(resource(name))) {
            out.add(new Message(n.get("routing_key").asText(), n.get("payload").asText(), n.get("properties")));
        }
        return out;
    }
}

package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.common.json.OmitEmpty;

/**
 * One module invocation inside an action: MIG's {@code mig.Operation}. Parameters are kept as a
 * generic JSON tree (Go's {@code interface{}}), which is exactly what gets signed.
 *
 * <p>Compressed operations carry their parameters as a JSON string holding base64 of gzip of the
 * parameters' JSON (spec §2.2); compression happens before signing, so the signature covers the
 * compressed form.
 */
public record Operation(
        @JsonProperty("module") String module,
        @JsonProperty("parameters") JsonNode parameters,
        @JsonProperty("is_compressed") @OmitEmpty boolean isCompressed,
        @JsonProperty("want_compressed") @OmitEmpty boolean wantCompressed) {

    /** Decompressed parameters are capped so a small gzip bomb cannot exhaust memory. */
    static final int MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024;

    public Operation {
        module = Objects.requireNonNullElse(module, "");
        parameters = parameters == null ? NullNode.getInstance() : parameters;
    }

    /** An uncompressed operation. */
    public static Operation of(String module, JsonNode parameters) {
        return new Operation(module, parameters, false, false);
    }

    /** This operation with its parameters gzipped and base64-encoded, as the client's {@code -z} does. */
    public Operation compressed() {
        if (isCompressed) {
            return this;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(GoJson.marshalBytes(parameters));
        } catch (IOException e) {
            throw new IllegalStateException("gzip to memory failed", e);
        }
        String packed = Base64.getEncoder().encodeToString(buf.toByteArray());
        return new Operation(module, TextNode.valueOf(packed), true, wantCompressed);
    }

    /**
     * This operation with plain parameters, as the agent needs them before running the module.
     *
     * @throws GoJsonException if the compressed parameters are not base64 of gzip of JSON
     */
    public Operation decompressed() {
        return decompressed(MAX_DECOMPRESSED_BYTES);
    }

    /**
     * Like {@link #decompressed()}, refusing parameters that decompress to more than {@code maxBytes}
     * (the agent gives each command a budget).
     *
     * @throws GoJsonException if the compressed parameters are not base64 of gzip of JSON, or too large
     */
    public Operation decompressed(int maxBytes) {
        if (!isCompressed) {
            return this;
        }
        return new Operation(
                module,
                GoJson.tree(new String(decompressedJson(maxBytes), StandardCharsets.UTF_8)),
                false,
                wantCompressed);
    }

    /**
     * The JSON text of compressed parameters, at most {@code maxBytes} of it.
     *
     * @throws GoJsonException if the parameters are not base64 of gzip, or decompress to more
     */
    public byte[] decompressedJson(int maxBytes) {
        if (!parameters.isTextual()) {
            throw new GoJsonException("operation '" + module + "': compressed parameters must be a string");
        }
        byte[] gz;
        try {
            gz = Base64.getDecoder().decode(parameters.textValue());
        } catch (IllegalArgumentException e) {
            throw new GoJsonException(
                    "operation '" + module + "': compressed parameters are not base64: " + e.getMessage(), e);
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            byte[] json = in.readNBytes(maxBytes + 1);
            if (json.length > maxBytes) {
                throw new GoJsonException(
                        "operation '" + module + "': decompressed parameters exceed " + maxBytes + " bytes");
            }
            return json;
        } catch (IOException e) {
            throw new GoJsonException(
                    "operation '" + module + "': compressed parameters are not gzip: " + e.getMessage(), e);
        }
    }
}

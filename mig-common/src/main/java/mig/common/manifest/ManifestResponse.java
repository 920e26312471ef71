package mig.common.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import mig.common.json.GoJson;

/**
 * What a loader receives from {@code POST /manifest/agent/}: MIG's {@code mig.ManifestResponse},
 * the loader's name, the files with their SHA-256 and the investigators' signatures.
 *
 * <p>The signed text is this object as Go's {@code json.Marshal} writes it with an empty loader
 * name and an empty signature list, e.g.
 * {@code {"loader_name":"","entries":[{"name":"mig-agent","sha256":"..."}],"signatures":[]}}.
 */
public record ManifestResponse(
        @JsonProperty("loader_name") String loaderName,
        @JsonProperty("entries") List<ManifestEntry> entries,
        @JsonProperty("signatures") List<String> signatures) {

    /** The bytes each signature is made over (the original's {@code Sign} and {@code VerifySignatures}). */
    public byte[] signedBytes() {
        return GoJson.marshalBytes(new ManifestResponse("", entries, List.of()));
    }

    public ManifestResponse withLoaderName(String name) {
        return new ManifestResponse(name, entries, signatures);
    }
}

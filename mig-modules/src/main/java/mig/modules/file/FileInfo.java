package mig.modules.file;

import com.fasterxml.jackson.annotation.JsonProperty;
import mig.common.json.OmitEmpty;

/**
 * The {@code fileinfo} of a matched file, as the original's {@code Info} struct: size as a float,
 * Go's mode string ({@code -rwxr-xr-x}) and Go's time string ({@code 2016-07-05 15:32:42 +0000 UTC}).
 *
 * @param sha256 upper-case hex, only with the {@code returnsha256} option
 */
record FileInfo(
        @JsonProperty("size") double size,
        @JsonProperty("mode") String mode,
        @JsonProperty("lastmodified") String lastModified,
        @JsonProperty("sha256") @OmitEmpty String sha256) {

    /** What an entry without a file carries: Go's zero {@code Info}. */
    static final FileInfo EMPTY = new FileInfo(0, "", "", null);

    FileInfo withSha256(String hex) {
        return new FileInfo(size, mode, lastModified, hex);
    }
}

package mig.modules.file;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import mig.common.json.OmitEmpty;

/**
 * The options of one search, as the original's {@code options} struct: the component order and the
 * {@link OmitEmpty} marks are the wire format ({@code maxdepth}, {@code maxerrors}, {@code matchall},
 * {@code macroal}, {@code mismatch} and {@code matchlimit} are always written, {@code mismatch} as
 * {@code null} when it was never given).
 *
 * @param maxDepth     deepest directory level searched below a search path, 0 for no limit
 * @param maxErrors    walking errors returned, 0 for all of them
 * @param remoteFs     accepted and echoed; the original's agent ignores it too
 * @param matchAll     a file must pass every check (true) or any check (false)
 * @param macroal      every line must match every content regex
 * @param mismatch     filters whose result is inverted; {@code null} and {@code []} are kept apart
 * @param matchLimit   stop once this many hits were counted, 0 for no limit
 * @param debug        accepted and echoed ({@code "print"} turned on stderr tracing in the original)
 * @param returnSha256 add the SHA-256 of each matched file to its fileinfo
 * @param decompress   inspect gzip files (magic {@code 1f 8b}) decompressed
 */
record Options(
        @JsonProperty("maxdepth") double maxDepth,
        @JsonProperty("maxerrors") double maxErrors,
        @JsonProperty("remotefs") @OmitEmpty boolean remoteFs,
        @JsonProperty("matchall") boolean matchAll,
        @JsonProperty("macroal") boolean macroal,
        @JsonProperty("mismatch") List<String> mismatch,
        @JsonProperty("matchlimit") double matchLimit,
        @JsonProperty("debug") @OmitEmpty String debug,
        @JsonProperty("returnsha256") @OmitEmpty boolean returnSha256,
        @JsonProperty("decompress") @OmitEmpty boolean decompress) {

    /** Go's zero value: what a matchany result carries and what a missing {@code options} means. */
    static final Options ZERO = new Options(0, 0, false, false, false, null, 0, null, false, false);

    Options {
        mismatch = mismatch == null ? null : List.copyOf(mismatch);
    }

    /** The copy a matchall result carries: the original zeroes maxdepth, maxerrors and matchlimit. */
    Options withLimitsZeroed() {
        return new Options(0, 0, remoteFs, matchAll, macroal, mismatch, 0, debug, returnSha256, decompress);
    }
}

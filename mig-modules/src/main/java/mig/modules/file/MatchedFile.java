package mig.modules.file;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of a search's results, as the original's {@code MatchedFile}: the file ({@code ""} when
 * the search or check found nothing), the search or check that matched it, and its fileinfo.
 */
record MatchedFile(
        @JsonProperty("file") String file,
        @JsonProperty("search") Search search,
        @JsonProperty("fileinfo") FileInfo fileInfo) {

    MatchedFile {
        file = file == null ? "" : file;
        fileInfo = fileInfo == null ? FileInfo.EMPTY : fileInfo;
    }
}

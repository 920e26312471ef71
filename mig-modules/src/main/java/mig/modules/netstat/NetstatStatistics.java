package mig.modules.netstat;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The run's statistics, the original's {@code statistics} struct.
 *
 * @param examined  table rows, interfaces and addresses looked at, summed over all queries
 * @param exectime  Go duration text, e.g. {@code 27.132777ms}
 * @param totalhits elements found (the original declared it but always sent 0)
 */
record NetstatStatistics(
        @JsonProperty("examined") long examined,
        @JsonProperty("exectime") String exectime,
        @JsonProperty("totalhits") long totalhits) {}

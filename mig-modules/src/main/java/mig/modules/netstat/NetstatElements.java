package mig.modules.netstat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import mig.common.json.OmitEmpty;

/**
 * The result elements: for each query kind, each queried value mapped to what it found. A value
 * that found nothing maps to {@code null} (Go's nil slice), which the printer turns into "did not
 * find anything"; a kind that was not queried is left out.
 */
record NetstatElements(
        @JsonProperty("localmac") @OmitEmpty Map<String, List<NetstatElement>> localMac,
        @JsonProperty("localip") @OmitEmpty Map<String, List<NetstatElement>> localIp,
        @JsonProperty("neighbormac") @OmitEmpty Map<String, List<NetstatElement>> neighborMac,
        @JsonProperty("neighborip") @OmitEmpty Map<String, List<NetstatElement>> neighborIp,
        @JsonProperty("connectedip") @OmitEmpty Map<String, List<NetstatElement>> connectedIp,
        @JsonProperty("listeningport") @OmitEmpty Map<String, List<NetstatElement>> listeningPort) {

    NetstatElements {
        localMac = sorted(localMac);
        localIp = sorted(localIp);
        neighborMac = sorted(neighborMac);
        neighborIp = sorted(neighborIp);
        connectedIp = sorted(connectedIp);
        listeningPort = sorted(listeningPort);
    }

    static NetstatElements empty() {
        return new NetstatElements(null, null, null, null, null, null);
    }

    /** Sorted by value (Go prints its maps in random order; we print in a stable one). */
    private static SortedMap<String, List<NetstatElement>> sorted(Map<String, List<NetstatElement>> m) {
        TreeMap<String, List<NetstatElement>> copy = new TreeMap<>();
        if (m != null) {
            copy.putAll(m); // values may be null: a query that found nothing
        }
        return copy;
    }
}

package mig.modules.netstat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import mig.common.json.OmitEmpty;
import mig.common.regex.GoRegexp;
import mig.modules.ParameterException;

/**
 * The netstat parameters as they travel in an action. Lists are left out of the JSON when empty;
 * {@code namespaces} is always written, as the original's struct tag ({@code json:"namespaces,empty"},
 * not {@code omitempty}) makes Go do.
 *
 * @param localMac      regexes on the MAC addresses of local interfaces (case-insensitive)
 * @param localIp       addresses or CIDRs of local interfaces
 * @param neighborMac   regexes on MAC addresses in the ARP table (case-insensitive)
 * @param neighborIp    addresses or CIDRs in the ARP table
 * @param connectedIp   addresses or CIDRs of remote ends of sockets
 * @param listeningPort decimal ports with a listening TCP or bound UDP socket
 * @param namespaces    read every network namespace's tables, not only the agent's
 */
record NetstatParameters(
        @JsonProperty("localmac") @OmitEmpty List<String> localMac,
        @JsonProperty("localip") @OmitEmpty List<String> localIp,
        @JsonProperty("neighbormac") @OmitEmpty List<String> neighborMac,
        @JsonProperty("neighborip") @OmitEmpty List<String> neighborIp,
        @JsonProperty("connectedip") @OmitEmpty List<String> connectedIp,
        @JsonProperty("listeningport") @OmitEmpty List<String> listeningPort,
        @JsonProperty("namespaces") boolean namespaces) {

    NetstatParameters {
        localMac = copy(localMac);
        localIp = copy(localIp);
        neighborMac = copy(neighborMac);
        neighborIp = copy(neighborIp);
        connectedIp = copy(connectedIp);
        listeningPort = copy(listeningPort);
    }

    /**
     * Checks every value, with the original's messages prefixed by the parameter's name.
     *
     * @throws ParameterException naming the first bad value and the rule it breaks
     */
    void validate() throws ParameterException {
        for (String v : localMac) {
            checkMac("localmac", v);
        }
        for (String v : neighborMac) {
            checkMac("neighbormac", v);
        }
        for (String v : neighborIp) {
            checkIp("neighborip", v);
        }
        for (String v : localIp) {
            checkIp("localip", v);
        }
        for (String v : connectedIp) {
            checkIp("connectedip", v);
        }
        for (String v : listeningPort) {
            checkPort(v);
        }
    }

    private static void checkMac(String param, String regex) throws ParameterException {
        try {
            GoRegexp.compile(regex);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(param + ": Invalid MAC regexp '" + regex + "'. Compilation failed with '"
                    + e.getMessage() + "'. Must be a valid regular expression.");
        }
    }

    private static void checkIp(String param, String value) throws ParameterException {
        if (IpNet.parseQuery(value).isPresent()) {
            return;
        }
        if (value.indexOf('/') > 0) {
            throw new ParameterException(param + ": invalid IPv{4,6} CIDR " + value + ": invalid CIDR address: " + value
                    + ". Must be an IP or a CIDR.");
        }
        throw new ParameterException(param + ": invalid IPv{4,6} " + value + ". Must be an IP or a CIDR.");
    }

    private static void checkPort(String value) throws ParameterException {
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ParameterException("listeningport: " + value + " is not a valid port: must be a decimal number "
                    + "between 0 and 65535");
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException("listeningport: port " + value + " out of range: must be between 0 and 65535");
        }
    }

    /** An immutable copy; a JSON null inside a list is Go's zero value, the empty string. */
    private static List<String> copy(List<String> values) {
        return values == null
                ? List.of()
                : values.stream().map(v -> v == null ? "" : v).toList();
    }
}

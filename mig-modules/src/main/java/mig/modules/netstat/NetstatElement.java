package mig.modules.netstat;

import com.fasterxml.jackson.annotation.JsonProperty;
import mig.common.json.OmitEmpty;

/**
 * One finding of a netstat query, the original's {@code element}: which fields are set depends on
 * the query (a MAC for {@code localmac}, a local/remote tuple for {@code connectedip} ...). Every
 * field is {@code omitempty}, so port 0 and empty strings are left out as in Go.
 *
 * @param namespace {@code default} outside namespace mode, else the network namespace's link text,
 *                  e.g. {@code net:[4026531840]}
 */
record NetstatElement(
        @JsonProperty("localmacaddr") @OmitEmpty String localMacAddr,
        @JsonProperty("remotemacaddr") @OmitEmpty String remoteMacAddr,
        @JsonProperty("localaddr") @OmitEmpty String localAddr,
        @JsonProperty("localport") @OmitEmpty long localPort,
        @JsonProperty("remoteaddr") @OmitEmpty String remoteAddr,
        @JsonProperty("remoteport") @OmitEmpty long remotePort,
        @JsonProperty("namespace") @OmitEmpty String namespace) {

    static NetstatElement localMac(String mac) {
        return new NetstatElement(mac, null, null, 0, null, 0, null);
    }

    static NetstatElement localIp(String addr) {
        return new NetstatElement(null, null, addr, 0, null, 0, null);
    }

    static NetstatElement neighbor(String ip, String mac, String namespace) {
        return new NetstatElement(null, mac, null, 0, ip, 0, namespace);
    }

    static NetstatElement connection(
            String localAddr, long localPort, String remoteAddr, long remotePort, String namespace) {
        return new NetstatElement(null, null, localAddr, localPort, remoteAddr, remotePort, namespace);
    }

    static NetstatElement listening(String localAddr, long port, String namespace) {
        return new NetstatElement(null, null, localAddr, port, null, 0, namespace);
    }

    NetstatElement withRemoteAddr(String addr) {
        return new NetstatElement(localMacAddr, remoteMacAddr, localAddr, localPort, addr, remotePort, namespace);
    }

    /** What the printer appends: nothing for the default namespace. */
    String namespaceSuffix() {
        return namespace == null || namespace.isEmpty() || namespace.equals("default")
                ? ""
                : " namespace:[" + namespace + "]";
    }
}

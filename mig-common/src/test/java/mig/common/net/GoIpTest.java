package mig.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Go's {@code net.IP.String()}, the one printer of the agent's addresses and the netstat module's
 * results (the netstat module's tests cover parsing and matching).
 */
class GoIpTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // the longest run of two or more zero groups becomes ::, the first one on a tie
        "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "0:0:1:0:0:0:0:0, 0:0:1::",
        "0:0:0:0:0:0:0:1, ::1",
        "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7:0",
        "1:0:2:0:3:0:4:0, 1:0:2:0:3:0:4:0",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1"
    })
    void compressesAsGoDoes(String in, String printed) throws Exception {
        assertEquals(printed, GoIp.format(InetAddress.getByName(in)));
        assertEquals(printed, GoIp.format(GoIp.parse(in).orElseThrow()));
    }

    @Test
    void anIpv4MappedAddressPrintsAsIpv4() throws Exception {
        byte[] mapped = GoIp.parse("::ffff:10.1.2.3").orElseThrow();
        assertEquals("10.1.2.3", GoIp.format(mapped));
        // Java keeps an Inet6Address when asked to, Go prints it as IPv4 all the same
        assertEquals("10.1.2.3", GoIp.format(Inet6Address.getByAddress(null, mapped, null)));
        assertEquals("192.0.2.2", GoIp.format(InetAddress.getByName("192.0.2.2")));
        assertEquals("::102:304", GoIp.format(GoIp.parse("::1.2.3.4").orElseThrow()), "IPv4-compatible is IPv6");
    }
}

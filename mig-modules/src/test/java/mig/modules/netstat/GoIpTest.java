package mig.modules.netstat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import mig.common.net.GoIp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Addresses parsed, printed and matched as Go 1.19's net package does. */
class GoIpTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "127.0.0.1, 127.0.0.1",
        "::1, ::1",
        "::, ::",
        "::ffff:10.1.2.3, 10.1.2.3",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
        "2001:db8::1:0, 2001:db8::1:0",
        "fe80::FC:FF:FE00:1, fe80::fc:ff:fe00:1",
        "1:0:2:3:4:5:6:7, 1:0:2:3:4:5:6:7",
        "::7f00:1, ::7f00:1",
        "::1.2.3.4, ::102:304"
    })
    void parsesAndPrintsLikeGo(String in, String printed) {
        assertEquals(printed, GoIp.format(GoIp.parse(in).orElseThrow()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1.2.3",
                "1.2.3.4.5",
                "256.1.1.1",
                "010.0.0.1",
                "1.2.3.4 ",
                "host.example",
                "1::2::3",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7:8::",
                "fe80::1%eth0",
                ":1",
                "12345::1",
                ""
            })
    void refusesWhatGoRefuses(String in) {
        assertTrue(GoIp.parse(in).isEmpty(), in);
    }

    @Test
    void readsKernelHexInHostByteOrder() {
        assertEquals("127.0.0.1", GoIp.format(KernelTables.hexAddress("0100007F")));
        assertEquals("::1", GoIp.format(KernelTables.hexAddress("00000000000000000000000001000000")));
        assertEquals("127.0.0.1", GoIp.format(KernelTables.hexAddress("0000000000000000FFFF00000100007F")));
        assertEquals("fe80::fc:ff:fe00:1", GoIp.format(KernelTables.hexAddress("000080FE00000000FF00FC00010000FE")));
    }

    @Test
    void ipv4NetworksAlsoContainIpv4MappedAddresses() {
        IpNet net = IpNet.parseQuery("10.0.0.0/8").orElseThrow();
        assertTrue(net.ipv4());
        assertTrue(net.contains(GoIp.parse("10.9.8.7").orElseThrow()));
        assertTrue(net.contains(KernelTables.hexAddress("0000000000000000FFFF00000708090A")));
        assertFalse(net.contains(GoIp.parse("11.0.0.1").orElseThrow()));
        assertFalse(net.contains(GoIp.parse("::a00:1").orElseThrow()), "an IPv4-compatible address is IPv6");
    }

    @Test
    void ipv6NetworksContainOnlyIpv6Addresses() {
        IpNet all = IpNet.parseQuery("::/0").orElseThrow();
        assertFalse(all.ipv4());
        assertTrue(all.contains(GoIp.parse("2001:db8::1").orElseThrow()));
        assertFalse(all.contains(GoIp.parse("1.2.3.4").orElseThrow()), "as in Go, ::/0 holds no IPv4 address");
        IpNet mapped = IpNet.parseQuery("::ffff:10.0.0.0/104").orElseThrow();
        assertTrue(mapped.ipv4(), "an IPv4-mapped network is searched like an IPv4 one");
        assertTrue(mapped.contains(GoIp.parse("10.1.1.1").orElseThrow()));
    }

    @Test
    void aSingleAddressMatchesItselfInEitherSpelling() {
        IpNet one = IpNet.parseQuery("0:0:0:0:0:0:0:1").orElseThrow();
        assertTrue(one.contains(GoIp.parse("::1").orElseThrow()));
        assertFalse(one.contains(GoIp.parse("::2").orElseThrow()));
        assertTrue(IpNet.parseQuery("::ffff:127.0.0.1").orElseThrow().contains(new byte[] {127, 0, 0, 1}));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0/8", "10.0.0.0/-1", "10.0.0.0/a"})
    void refusesBadCidrs(String in) {
        assertTrue(IpNet.parseQuery(in).isEmpty(), in);
    }
}

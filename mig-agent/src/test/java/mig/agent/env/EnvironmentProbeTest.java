package mig.agent.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import mig.common.net.GoIp;
import org.junit.jupiter.api.Test;

/** The endpoint facts, in the original's words and notation. */
class EnvironmentProbeTest {

    @Test
    void identIsWhatLsbReleasePrints() {
        String debian = """
                PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
                NAME="Debian GNU/Linux"
                VERSION_ID="12"
                VERSION="12 (bookworm)"
                VERSION_CODENAME=bookworm
                ID=debian
                """;
        assertEquals("Debian 12 bookworm", EnvironmentProbe.identFromOsRelease(debian));
        String ubuntu = "NAME=\"Ubuntu\"\nVERSION_ID=\"16.04\"\nVERSION_CODENAME=xenial\nID=ubuntu\n";
        assertEquals("Ubuntu 16.04 xenial", EnvironmentProbe.identFromOsRelease(ubuntu));
        assertEquals("Alpine 3.19.1 n/a", EnvironmentProbe.identFromOsRelease("ID=alpine\nVERSION_ID=3.19.1\n"));
    }

    @Test
    void archAndOsAreGoNames() {
        assertEquals("amd64", EnvironmentProbe.goarch("amd64"));
        assertEquals("amd64", EnvironmentProbe.goarch("x86_64"));
        assertEquals("arm64", EnvironmentProbe.goarch("aarch64"));
        assertEquals("386", EnvironmentProbe.goarch("i686"));
        assertEquals("linux", EnvironmentProbe.goos());
    }

    @Test
    void initIsReadAsTheOriginalReadsProcOneCmdline() {
        assertEquals("sysvinit", EnvironmentProbe.initFromCmdline("init [2]", p -> false));
        assertEquals("systemd", EnvironmentProbe.initFromCmdline("/lib/systemd/systemd --system", p -> false));
        assertEquals("systemd", EnvironmentProbe.initFromCmdline("/sbin/init splash", "/sbin/init"::equals));
        assertEquals("upstart", EnvironmentProbe.initFromCmdline("/sbin/init", p -> false));
        assertEquals("sysvinit", EnvironmentProbe.initFromCmdline("/process_api --x", p -> false));
    }

    @Test
    void addressesAreWrittenAsGoWritesThem() throws Exception {
        assertEquals("fe80::fc:ff:fe00:1", GoIp.format(InetAddress.getByName("fe80:0:0:0:fc:ff:fe00:1")));
        assertEquals("fd00::2", GoIp.format(InetAddress.getByName("fd00:0:0:0:0:0:0:2")));
        assertEquals("::1", GoIp.format(InetAddress.getByName("::1")));
        assertEquals("2001:db8::1:0:0:1", GoIp.format(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("192.0.2.2", GoIp.format(InetAddress.getByName("192.0.2.2")));
        for (String a : EnvironmentProbe.addresses()) {
            assertTrue(a.matches("[0-9a-f:.]+/\\d+"), a);
            assertFalse(a.equals("127.0.0.1/8") || a.equals("::1/128"), a);
        }
    }

    @Test
    void publicIpIsAnIpLiteralOrAFallback() {
        assertEquals(Optional.of("203.0.113.7"), PublicIp.parse("203.0.113.7\n"));
        assertEquals(Optional.empty(), PublicIp.parse("<html>proxy error</html>"));
        assertEquals(Optional.empty(), PublicIp.parse("example.net"));
        assertEquals("192.0.2.2", PublicIp.fallback(List.of("fd00::2/64", "192.0.2.2/24")));
        assertEquals("fd00::2", PublicIp.fallback(List.of("fd00::2/64")));
        assertEquals("127.0.0.1", PublicIp.fallback(List.of()));
    }
}

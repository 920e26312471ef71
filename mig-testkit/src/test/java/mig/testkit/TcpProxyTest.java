package mig.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in front of a one-byte echo server: what a client sees of each fault. */
class TcpProxyTest {

    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void startEchoBehindProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread server = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> {
                        try (s;
                                InputStream in = s.getInputStream();
                                OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // client gone
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        server.setDaemon(true);
        server.start();
        proxy = new TcpProxy("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsThenDropsEverythingWhileDownThenForwardsAgain() throws Exception {
        try (Socket c = connect()) {
            assertEquals('a', roundTrip(c, 'a'));
            proxy.down();
            assertThrows(
                    IOException.class,
                    () -> {
                        roundTrip(c, 'b');
                        roundTrip(c, 'c');
                    },
                    "the open connection is dropped");
        }
        try (Socket refused = connect()) {
            assertEquals(-1, refused.getInputStream().read(), "new connections are closed at once");
        }
        proxy.up();
        try (Socket again = connect()) {
            assertEquals('d', roundTrip(again, 'd'));
        }
        assertEquals(2, proxy.accepted());
    }

    @Test
    void aCutDropsOpenConnectionsAndTheNextOneGoesThrough() throws Exception {
        try (Socket c = connect()) {
            assertEquals('a', roundTrip(c, 'a'));
            proxy.cut();
            assertThrows(
                    IOException.class,
                    () -> {
                        roundTrip(c, 'b');
                        roundTrip(c, 'c');
                    },
                    "the open connection is dropped");
        }
        try (Socket again = connect()) {
            assertEquals('d', roundTrip(again, 'd'), "reconnecting at once works");
        }
        assertEquals(2, proxy.accepted());
    }

    @Test
    void aStallHoldsBytesWithoutClosingAndResumeDeliversThem() throws Exception {
        try (Socket c = connect()) {
            assertEquals('a', roundTrip(c, 'a'));
            proxy.stall();
            c.setSoTimeout(500);
            c.getOutputStream().write('b');
            c.getOutputStream().flush();
            // Nothing can be awaited here: the point is that no byte comes back while stalled.
            assertThrows(SocketTimeoutException.class, () -> c.getInputStream().read(), "held");
            proxy.resume();
            c.setSoTimeout(5_000);
            assertEquals('b', c.getInputStream().read(), "what was held goes through, connection intact");
            assertEquals('e', roundTrip(c, 'e'));
        }
        assertEquals(1, proxy.accepted());
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(5_000);
        return s;
    }

    private static int roundTrip(Socket s, char c) throws IOException {
        s.getOutputStream().write(c);
        s.getOutputStream().flush();
        int r = s.getInputStream().read();
        if (r < 0) {
            throw new IOException("closed");
        }
        return r;
    }
}

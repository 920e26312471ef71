package mig.bench.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class TcpProxyTest {

    @Test
    void forwardsThenDropsEverythingWhileDownThenForwardsAgain() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                TcpProxy proxy = new TcpProxy("127.0.0.1", echo.getLocalPort())) {
            Thread server = new Thread(() -> {
                while (!echo.isClosed()) {
                    try {
                        Socket s = echo.accept();
                        Thread t = new Thread(() -> {
                            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
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

            try (Socket c = connect(proxy)) {
                assertEquals('a', roundTrip(c, 'a'));
                proxy.down();
                assertThrows(IOException.class, () -> {
                    roundTrip(c, 'b');
                    roundTrip(c, 'c');
                }, "the open connection is dropped");
            }
            try (Socket refused = connect(proxy)) {
                assertEquals(-1, refused.getInputStream().read(), "new connections are closed at once");
            }
            proxy.up();
            try (Socket again = connect(proxy)) {
                assertEquals('d', roundTrip(again, 'd'));
            }
            assertEquals(2, proxy.accepted());
        }
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
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

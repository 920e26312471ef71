package mig.bench.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on 127.0.0.1 that a fault test puts between the platform and a shared service
 * (the broker, PostgreSQL) to take the service away without stopping it for everyone else on the
 * machine. {@link #down()} is what a client sees when the service dies: every connection drops and
 * new ones are refused until {@link #up()}. The service's own state (queued messages, rows) stays
 * as a restarted durable service would find it. {@link #stall()} is a service that stops
 * answering without closing anything (a broker blocking publishers on a memory alarm, a frozen
 * VM): bytes stop flowing both ways until {@link #resume()}.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean refusing;
    private volatile boolean stalled;

    /** Listens on a free port of 127.0.0.1 and forwards to {@code targetHost:targetPort}. */
    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "tcp-proxy-accept-" + port());
        accept.setDaemon(true);
        accept.start();
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted and forwarded so far. */
    public int accepted() {
        return accepted.get();
    }

    /** The service "dies": every connection is dropped and new ones are closed at once. */
    public void down() {
        refusing = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** The service is back: new connections are forwarded again. */
    public void up() {
        refusing = false;
    }

    /** The service stops answering: connections stay open, nothing goes through either way. */
    public void stall() {
        stalled = true;
    }

    /** The service answers again: what was held goes through. */
    public void resume() {
        stalled = false;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                open.add(client);
                open.add(server);
                accepted.incrementAndGet();
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                closeQuietly(client); // the target refused: the client sees a dropped connection
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[32 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    while (stalled && !from.isClosed()) {
                        Thread.sleep(10); // holding this chunk: TCP pushes back on the sender
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // cut, or one side closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        down();
    }
}

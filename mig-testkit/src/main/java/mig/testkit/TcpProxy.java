package mig.testkit;

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
 * A TCP forwarder on 127.0.0.1 that a fault test puts between a MIG component and a shared service
 * (the broker, PostgreSQL) to break the link without stopping the service for everyone else on the
 * machine. The service's own state (queued messages, rows) stays as a restarted durable service
 * would find it. The faults, as a client sees them:
 *
 * <ul>
 *   <li>{@link #cut()}: the network drops every connection, the service is still there (a client
 *       that reconnects at once gets through);
 *   <li>{@link #down()}: the service dies: every connection drops and new ones are closed at once
 *       until {@link #up()};
 *   <li>{@link #stall()}: the service stops answering without closing anything (RabbitMQ blocking
 *       publishers on a memory alarm, a frozen VM): bytes stop flowing both ways until {@link
 *       #resume()}, when what was held goes through.
 * </ul>
 *
 * <p>Main scope, so that the bench's simulator can put it in front of a service too.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Object gate = new Object();
    private volatile boolean refusing;
    private boolean stalled; // guarded by gate

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

    /** The link breaks: every connection is dropped, both ways; new connections go through. */
    public void cut() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
        synchronized (gate) {
            gate.notifyAll(); // pumps held by a stall see their sockets closed
        }
    }

    /** The service "dies": every connection is dropped and new ones are closed at once. */
    public void down() {
        refusing = true;
        cut();
    }

    /** The service is back: new connections are forwarded again. */
    public void up() {
        refusing = false;
    }

    /** The service stops answering: connections stay open, nothing goes through either way. */
    public void stall() {
        synchronized (gate) {
            stalled = true;
        }
    }

    /** The service answers again: what was held goes through. */
    public void resume() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
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
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[32 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                            holdWhileStalled(from);
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
                },
                "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Holds the chunk just read while stalled: the sender's writes then fill the TCP buffers. */
    private void holdWhileStalled(Socket from) throws InterruptedException {
        synchronized (gate) {
            while (stalled && !from.isClosed()) {
                gate.wait();
            }
        }
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

package mig.modules.ping;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import mig.modules.RunContext;

/**
 * One ping of each protocol, answering what the original's {@code pingIcmp}, {@code pingTcp} and
 * {@code pingUdp} answered: reached, timed out, refused/unreachable, or another failure with the
 * Go error text the original put in {@code failures} (the Go wording for the errors it could
 * meet: too many colons, unknown host, connect errors).
 */
class Pinger {

    enum Kind {
        OK,
        TIMEOUT,
        REFUSED,
        FAILED
    }

    record Outcome(Kind kind, String error) {
        static final Outcome OK = new Outcome(Kind.OK, null);
        static final Outcome TIMEOUT = new Outcome(Kind.TIMEOUT, null);
        static final Outcome REFUSED = new Outcome(Kind.REFUSED, null);

        static Outcome failed(String error) {
            return new Outcome(Kind.FAILED, error);
        }
    }

    /** The payload the original sent over UDP. */
    private static final byte[] UDP_PAYLOAD = "Ping!Ping!Ping!".getBytes(StandardCharsets.US_ASCII);

    /**
     * Go's {@code net.LookupHost(d)[0]}: an IP literal as written; a name resolved, its first
     * address written as Go writes it; empty when the lookup fails (the original then tried the
     * destination itself as an IP). Only names are resolved: Go's resolver takes {@code 127.1} or
     * {@code [::1]} for names that do not resolve, where the JDK would read them as addresses.
     */
    Optional<String> lookupFirst(String destination) {
        if (GoIp.isIp(destination)) {
            return Optional.of(destination);
        }
        if (destination.isEmpty() || destination.matches("[0-9.]*") || !destination.matches("[A-Za-z0-9._-]+")) {
            return Optional.empty();
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(destination);
            return all.length == 0 ? Optional.empty() : Optional.of(GoIp.format(all[0]));
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** One ping; {@code timeoutNanos} is the original's {@code time.Duration(timeout) * time.Second}. */
    Outcome ping(PingModule.Params p, long timeoutNanos, RunContext context) {
        int port = (int) PingModule.goInt(p.port());
        return switch (p.protocol()) {
            case "tcp" -> tcp(p.destination(), port, timeoutNanos, context);
            case "udp" -> udp(p.destination(), port, timeoutNanos, context);
            default -> icmp(p.destination(), timeoutNanos, context);
        };
    }

    /**
     * Waiting time in milliseconds: the timeout, or without one (Go's dial timeout of 0, from a
     * timeout under 1 s) the run's time left; never past the run's deadline.
     */
    private static int waitMillis(long timeoutNanos, RunContext context) {
        long left = Math.max(1, context.remaining().toMillis());
        long want = timeoutNanos == 0 ? left : Math.max(1, timeoutNanos / 1_000_000);
        return (int) Math.min(Integer.MAX_VALUE, Math.min(want, left));
    }

    private static Outcome tcp(String destination, int port, long timeoutNanos, RunContext context) {
        String address = destination + ":" + port;
        if (destination.indexOf(':') >= 0) {
            return Outcome.failed("Dial Error: dial tcp: address " + address + ": too many colons in address");
        }
        if (timeoutNanos < 0) {
            return Outcome.TIMEOUT; // Go's dial with a deadline already past: i/o timeout
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(destination);
        } catch (UnknownHostException e) {
            return Outcome.failed("Dial Error: dial tcp: lookup " + destination + ": no such host");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), waitMillis(timeoutNanos, context));
            return Outcome.OK;
        } catch (SocketTimeoutException e) {
            return Outcome.TIMEOUT;
        } catch (ConnectException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connection refused")) {
                return Outcome.REFUSED;
            }
            return Outcome.failed("Dial Error: dial tcp " + GoIp.format(ip) + ":" + port + ": connect: " + goReason(e));
        } catch (IOException e) {
            return Outcome.failed("Dial Error: dial tcp " + GoIp.format(ip) + ":" + port + ": " + goReason(e));
        }
    }

    private static Outcome udp(String destination, int port, long timeoutNanos, RunContext context) {
        String address = destination + ":" + port;
        if (destination.indexOf(':') >= 0) {
            return Outcome.failed("Dial Error: dial udp: address " + address + ": too many colons in address");
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(destination);
        } catch (UnknownHostException e) {
            return Outcome.failed("Dial Error: dial udp: lookup " + destination + ": no such host");
        }
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(ip, port));
            try {
                s.send(new DatagramPacket(UDP_PAYLOAD, UDP_PAYLOAD.length));
            } catch (IOException e) {
                // the original ignored the write's error; the read below reports what matters
            }
            if (timeoutNanos <= 0) {
                return Outcome.TIMEOUT; // Go's read deadline of now + 0 (a timeout under 1 s) is already past
            }
            s.setSoTimeout(waitMillis(timeoutNanos, context));
            byte[] buf = new byte[1500];
            s.receive(new DatagramPacket(buf, buf.length));
            return Outcome.OK;
        } catch (SocketTimeoutException e) {
            return Outcome.TIMEOUT;
        } catch (PortUnreachableException e) {
            return Outcome.REFUSED;
        } catch (IOException e) {
            String why = goReason(e);
            if (why.contains("connection refused")) {
                return Outcome.REFUSED;
            }
            return Outcome.failed("Read Error: read udp " + GoIp.format(ip) + ":" + port + ": " + why);
        }
    }

    private static Outcome icmp(String destination, long timeoutNanos, RunContext context) {
        String network = destination.indexOf(':') >= 0 ? "ip6" : "ip4";
        InetAddress ip;
        try {
            ip = InetAddress.getByName(destination);
        } catch (UnknownHostException e) {
            return Outcome.failed("Dial failed: dial " + network + (network.equals("ip4") ? ":icmp" : ":ipv6-icmp")
                    + ": lookup " + destination + ": no such host");
        }
        if (timeoutNanos <= 0) { // Go's deadline of now + 0 (a timeout under 1 s) is past before the write
            return Outcome.failed("Conn.Write Error: write " + network + " " + localFor(ip) + "->" + GoIp.format(ip)
                    + ": i/o timeout");
        }
        try {
            return ip.isReachable(waitMillis(timeoutNanos, context)) ? Outcome.OK : Outcome.TIMEOUT;
        } catch (IOException e) {
            return Outcome.failed("Conn.Read failed: read " + network + " " + GoIp.format(ip) + ": " + goReason(e));
        }
    }

    /** The local address the system would send from to {@code ip}, as in Go's error texts. */
    private static String localFor(InetAddress ip) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(ip, 9);
            return GoIp.format(s.getLocalAddress());
        } catch (IOException e) {
            return "";
        }
    }

    /** The system's reason as Go words it: lower case, without the JDK's "(connect failed)" suffix. */
    private static String goReason(IOException e) {
        String m = String.valueOf(e.getMessage()).replace(" (connect failed)", "");
        return m.toLowerCase(Locale.ROOT);
    }
}

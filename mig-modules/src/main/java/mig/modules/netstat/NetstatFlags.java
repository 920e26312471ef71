package mig.modules.netstat;

import java.util.List;
import mig.modules.GoFlags;
import mig.modules.ParameterException;

/**
 * The {@code mig netstat} command-line flags and help, as the original client had them:
 * {@code -lm -nm -li -ni -ci -lp} (each repeatable) and {@code -namespaces}.
 */
final class NetstatFlags {

    /** The original's {@code cmd_help}, word for word. */
    static final String HELP = """
            -lm <regex>	   search for local mac addresses that match <regex>
            		   example: -lm ^8c:70:[0-9a-f]

            -nm <regex>	   search for neighbors mac addresses that match <regex>
            		   in the ARP table
            		   example: -nm ^8c:70:[0-9a-f]

            -li <ip|cidr>	   search for IPs that match <ip|cidr> on the local interfaces
            		   if a cidr is specified, return all matching addresses.
            		   example: -li 10.0.0.0/8
            			    -li 2001:db8::/32

            -ni <ip|cidr>	   search for neighbors IPs that match <ip|cidr> in the ARP table
            		   if a cidr is specified, return all matching addresses
            		   example: -ni 10.1.2.3
            			    -ni fdda:5cc1:23:4::1f

            -ci <ip|cidr>	   search for remote IPs connected to the system matching <ip|cidr>.
            		   returns connection tuple: localip:localport remoteip:remoteport
            		   example: -ci 80.70.60.0/24
            			    -ci 2001:0db8:0123:4567:89ab:cdef:1234:0/116

            -lp <port>	   search for a listening tcp/udp port on <port>
            		   example: -lp 443

            -namespaces <bool> enable namespace resolution (linux)
                               example: -namespaces
            """;

    private NetstatFlags() {}

    /**
     * The parameters for {@code args}, validated.
     *
     * @throws ParameterException for an unknown flag, a missing value or a bad value; with the help
     *         text as message when {@code args} is empty, {@code help}, {@code -h} or {@code -help}
     */
    static NetstatParameters parse(List<String> args) throws ParameterException {
        if (args.isEmpty() || args.get(0).isEmpty() || args.get(0).equals("help")) {
            throw new ParameterException(HELP);
        }
        GoFlags f = new GoFlags(HELP)
                .repeatable("lm")
                .repeatable("nm")
                .repeatable("li")
                .repeatable("ni")
                .repeatable("ci")
                .repeatable("lp")
                .bool("namespaces", false)
                .parse(args);
        NetstatParameters p = new NetstatParameters(
                f.valuesOf("lm"),
                f.valuesOf("li"),
                f.valuesOf("nm"),
                f.valuesOf("ni"),
                f.valuesOf("ci"),
                f.valuesOf("lp"),
                f.boolOf("namespaces"));
        p.validate();
        return p;
    }
}

package mig.client.agentsearch;

/** The original's {@code mig-agent-search} help text (its flag list follows it). */
final class Help {
    private Help() {}

    static final String TEXT = """
            mig-agent-search <query> - Search for MIG Agents

            Usage: mig-agent-search [-V] [-c path] -p "console style query" | -t "target style query"

            The -p or -t flag must be specified to run a search.

            The -V flag can be used to display MIG version.

            Use -c to specify an alternate path to .migrc (by default, $HOME/.migrc)

            CONSOLE MODE QUERY
            ------------------

            The console mode query allows specification of a query string as would be passed
            in mig-console using "search agent". It returns all matching agents.

            EXAMPLE CONSOLE MODE QUERIES
            ----------------------------

            All online agents:
              $ mig-agent-search -p "status=online"

            All agents regardless of status:
              $ mig-agent-search -p "status=%"

            See the output of "search help" in mig-console for additional information on
            how to format these queries.

            TARGET MODE QUERY
            -----------------

            The target mode query allows specification of an agent targeting string as would
            be passed to the -t flag using MIG command line. This evaluates agents using the
            targeting string as the command line would, returning matching agents.

            A search query is a SQL WHERE condition. It can filter on any field present in
            the MIG Agents table.
            	     Column      |           Type
            	-----------------+-------------------------
            	 id              | numeric
            	 name            | character varying(2048)
            	 queueloc        | character varying(2048)
            	 mode            | character varying(2048)
            	 version         | character varying(2048)
            	 pid             | integer
            	 starttime       | timestamp with time zone
            	 destructiontime | timestamp with time zone
            	 heartbeattime   | timestamp with time zone
            	 status          | character varying(255)
            	 environment     | json
            	 tags            | json

            The "environment" and "tags" fields are free JSON fields and can be queried using
            Postgresql's JSON querying syntax.

            Below is an example of environment document:
            	{
            	    "addresses": [
            		"172.21.0.3/20",
            		"fe80::3602:86ff:fe2b:6fdd/64"
            	    ],
            	    "arch": "amd64",
            	    "ident": "Debian testing-updates sid",
            	    "init": "upstart",
            	    "isproxied": false,
            	    "os": "linux",
            	    "publicip": "172.21.0.3"
            	}

            Below is an example of tags document:
            	{"operator":"linuxwall"}

            EXAMPLE TARGET MODE QUERIES
            ---------------------------

            Agent name "myserver.example.net"
              $ mig-agent-search -t "name='myserver.example.net'"

            All Linux agents:
              $ mig-agent-search -t "environment->>'os'='linux'"

            Ubuntu agents running 32 bits
              $ mig-agent-search -t "environment->>'ident' LIKE 'Ubuntu%' AND environment->>'arch'='386'"

            MacOS agents in datacenter SCL3
              $ mig-agent-search -t "environment->>'os'='darwin' AND name LIKE '%\\.scl3\\.%'"

            Agents with uptime greater than 30 days
              $ mig-agent-search -t "starttime < NOW() - INTERVAL '30 days'"

            Linux agents in checkin mode that are currently idle but woke up in the last hour
              $ mig-agent-search -t "mode='checkin' AND environment->>'os'='linux' AND status='idle' AND starttime > NOW() - INTERVAL '1 hour'"

            Agents operated by team "opsec"
              $ mig-agent-search -t "tags->>'operator'='opsec'"

            Command line flags:""";
}

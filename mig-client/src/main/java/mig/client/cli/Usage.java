package mig.client.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mig.modules.HasParamsParser;
import mig.modules.Module;
import mig.modules.Modules;

/** The text of {@code mig help}: the original's, plus the flags and exit codes that are ours. */
final class Usage {
    private Usage() {}

    /** Modules that can be driven from the command line, sorted. */
    static List<String> cliModules() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Module> m : Modules.all().entrySet()) {
            if (m.getValue() instanceof HasParamsParser) {
                names.add(m.getKey());
            }
        }
        return names;
    }

    static String text() {
        StringBuilder modules = new StringBuilder();
        // every module the client was built with, as the original lists them (agentdestroy too,
        // though it refuses the command line); sorted, where the original's order is Go's map order
        for (String m : new java.util.TreeSet<>(Modules.all().keySet())) {
            modules.append("* ").append(m).append('\n');
        }
        return """
                mig - Mozilla InvestiGator command line client

                usage: mig <module> <global options> <module parameters>

                --- Global options ---

                -c <path>\t Path to config file, defaults to ~/.migrc

                -e <duration>\t Time after which the action expires, defaults to 300 seconds.

                \t\t Example: -e 300s (5 minutes)

                -i <file>\t Load and run action from a file, supersedes other action flags.

                \t\t If using the -i flag, it should be the first argument specified
                \t\t (no module should be specified since it is indicated in the action
                \t\t file) and only global options should be used.

                -n <name>\t A name for the action, defaults to the command line.

                -nocountdown\t Launch at once, without the 5 second countdown (or MIG_NO_COUNTDOWN=1).

                -p <bool>        Display action JSON that would be used and exit, useful to write
                \t\t an action for later import with the -i flag.

                -render <mode>\t How to print results: text (default), or json for one JSON object
                \t\t per agent on stdout (for jq).

                -show <mode>\t Type of results to show, defaults to found.

                \t\t * found: \tOnly print positive results
                \t\t * notfound: \tOnly print negative results
                \t\t * all:\t\tPrint all results

                -t <target>\t Target to launch the action on. If no target is specified, the value will
                \t\t default to all online agents (status='online')

                \t\t Examples:
                \t\t * Linux agents:          -t "queueloc LIKE 'linux.%'"
                \t\t * Agents named *mysql*:  -t "name like '%mysql%'"
                \t\t * Proxied Linux agents:  -t "queueloc LIKE 'linux.%' AND environment->>'isproxied' = 'true'"
                \t\t * Agents operated by IT: -t "tags#>>'{operator}'='IT'"
                \t\t * Run on local system:\t -t local
                \t\t * Use a migrc macro:     -t mymacroname

                -s <bool>        Create and sign the action, and output the action to stdout
                                 this is useful for dual-signing; the signed action can be provided
                                 to another investigator for launch using the -i flag.

                -target-found    <action ID>
                -target-notfound <action ID>
                \t\t Targets agents that have either found or not found results in a previous action.
                \t\t example: -target-found 123456

                -v\t\t Verbose output, includes debug information and raw queries

                -V\t\t Print version

                -z <bool>        Compress action before sending it to agents

                --- Exit codes ---
                (the same for mig, mig-console, mig-action-generator, mig-action-verifier and
                mig-agent-search)
                0 the command ran and every targeted agent answered (whatever they found)
                1 the API refused the request, or the target selects no agent (nothing launched),
                  or a signature does not verify
                2 bad command line (unknown module, flag or value; missing parameters)
                3 migrc or signing key unusable
                4 API unreachable
                5 API refused the authentication
                6 the investigation ran, but some agents' commands failed, timed out or expired:
                  the reasons are printed after their names

                --- Modules documentation ---
                Each module provides its own set of parameters. Module parameters must be set *after*
                global options. Help is available by calling "<module> help". Available modules are:
                """ + modules;
    }
}

package mig.common.target;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Every target string that MIG's clients build and its docs, actions and tools show, collected with
 * {@code git grep} in github.com/mozilla/mig at 9e7e4f52 (paths below are in that tree). Go format
 * strings are shown after formatting ({@code %%} is {@code %}), shell strings after the shell has
 * removed its quoting. All of them must parse and compile.
 */
final class DocumentedTargets {

    private DocumentedTargets() {}

    /** The Go client's -target-found/-target-notfound prefix (client/mig/main.go:318-325), formatted. */
    static String goChain(String actionId, String found) {
        return "id IN (select agentid from commands, json_array_elements(commands.results) as " + "r where actionid="
                + actionId + " and r#>>'{foundanything}' = '" + found + "')";
    }

    /** Arguments: source, target. */
    static Stream<Arguments> all() {
        return Stream.of(
                // client/mig/main.go: default target, -t examples in usage(), -target-found/-notfound
                Arguments.of("client/mig/main.go:238 default", "status='online'"),
                Arguments.of("client/mig/main.go:58", "queueloc LIKE 'linux.%'"),
                Arguments.of("client/mig/main.go:59", "name like '%mysql%'"),
                Arguments.of("client/mig/main.go:60", "queueloc LIKE 'linux.%' AND environment->>'isproxied' = 'true'"),
                Arguments.of("client/mig/main.go:61", "tags#>>'{operator}'='IT'"),
                Arguments.of(
                        "client/mig/main.go:320 -target-found", goChain("123456", "true") + " AND status='online'"),
                Arguments.of(
                        "client/mig/main.go:325 -target-notfound", goChain("123456", "false") + " AND status='online'"),
                Arguments.of(
                        "client/mig/main.go:320 -target-found + macro",
                        goChain("5033038708749", "true") + " AND status='online' OR status='idle'"),
                // client/client.go:333 generated migrc macro; conf/migrc.inc, doc/configuration.rst:581-582
                Arguments.of("client/client.go:333 allonline macro", "status='online'"),
                Arguments.of("conf/migrc.inc:20 onlineandidle macro", "status='online' OR status='idle'"),
                // client/mig-agent-search/main.go usage() examples
                Arguments.of("client/mig-agent-search/main.go:102", "name='myserver.example.net'"),
                Arguments.of("client/mig-agent-search/main.go:105", "environment->>'os'='linux'"),
                Arguments.of(
                        "client/mig-agent-search/main.go:108",
                        "environment->>'ident' LIKE 'Ubuntu%' AND environment->>'arch'='386'"),
                Arguments.of(
                        "client/mig-agent-search/main.go:111",
                        "environment->>'os'='darwin' AND name LIKE '%\\.scl3\\.%'"),
                Arguments.of("client/mig-agent-search/main.go:114", "starttime < NOW() - INTERVAL '30 days'"),
                Arguments.of(
                        "client/mig-agent-search/main.go:117",
                        "mode='checkin' AND environment->>'os'='linux' "
                                + "AND status='idle' AND starttime > NOW() - INTERVAL '1 hour'"),
                Arguments.of("client/mig-agent-search/main.go:120", "tags->>'operator'='opsec'"),
                // mig-scheduler/agents_management.go:116 kill order for duplicate agents
                Arguments.of(
                        "mig-scheduler/agents_management.go:116", "queueloc='linux.fe11c6d3a1d27bd7b2e6fb51d87c94ea'"),
                // doc/cheatsheet.rst
                Arguments.of("doc/cheatsheet.rst:36", "environment->>'os'='linux' AND name LIKE '%buildbot%'"),
                Arguments.of("doc/cheatsheet.rst:59", "environment->>'os' IN ('linux', 'darwin')"),
                Arguments.of("doc/cheatsheet.rst:76", "tags->>'operator'='IT'"),
                Arguments.of("doc/cheatsheet.rst:199", "name LIKE '%phx1%'"),
                Arguments.of("doc/cheatsheet.rst:210", "name LIKE '%scl3%'"),
                Arguments.of(
                        "doc/cheatsheet.rst:332",
                        "tags->>'operator'='opsec' AND environment->>'os'='linux' "
                                + "AND mode='daemon' AND status='online' AND name like 'mig-api%'"),
                // bash drops the backslash-newlines of cheatsheet.rst:351-353, the tab indents remain
                Arguments.of(
                        "doc/cheatsheet.rst:351",
                        "id IN ( \t\tSELECT agentid FROM commands, "
                                + "json_array_elements(commands.results) AS r \t\tWHERE commands.actionid = 12345 "
                                + "AND r#>>'{foundanything}' = 'true')"),
                Arguments.of(
                        "doc/cheatsheet.rst:351 kept on three lines",
                        "id IN (\n\t\tSELECT agentid FROM commands, "
                                + "json_array_elements(commands.results) AS r\n\t\tWHERE commands.actionid = 12345 "
                                + "AND r#>>'{foundanything}' = 'true')"),
                Arguments.of("doc/cheatsheet.rst:55 mentions regex ~*", "name ~* 'scl3'"),
                // doc/concepts.rst
                Arguments.of("doc/concepts.rst:92", "agents.queueloc like 'linux.%'"),
                Arguments.of("doc/concepts.rst:133", "name like '%'"),
                Arguments.of(
                        "doc/concepts.rst:137",
                        "version='201409171023+c4d6f50.prod' " + "and heartbeattime > NOW() - interval '1 minute'"),
                Arguments.of(
                        "doc/concepts.rst:150",
                        "id IN (select agentid from commands, "
                                + "json_array_elements(commands.results) as r where actionid=1 and r#>>'{foundanything}' = 'true')"),
                Arguments.of("doc/concepts.rst:185", "tags->>'operator'='opsec'"),
                // doc/api.md:350,481,696 and doc/api.rst:345,472,651
                Arguments.of("doc/api.md:350", "agents.queueloc like 'linux.%' AND tags->>'operator'='IT'"),
                // doc/console.rst:210 settarget
                Arguments.of("doc/console.rst:210", "environment->>'os'='linux' and mode='daemon'"),
                // modules/ping/doc.rst:49, modules/timedrift/doc.rst:47
                Arguments.of("modules/ping/doc.rst:49", "name='somehost.example.net'"),
                // doc/data.rst:67-83 (conditions of the DBA queries)
                Arguments.of("doc/data.rst:67", "heartbeattime >= NOW() - interval '30 days'"),
                Arguments.of("doc/data.rst:70", "heartbeattime >= NOW() - interval '5 minutes'"),
                Arguments.of("doc/data.rst:83", "heartbeattime >= NOW() - INTERVAL '10 minutes'"),
                // actions/*.json and actions/scribe/README.md
                Arguments.of("actions/agentdestroy.json:8", "queueloc like 'linux.%'"),
                Arguments.of(
                        "actions/example_v2.json:9",
                        "queueloc LIKE 'linux.%' AND environment->>'ident' ILIKE '%ubuntu%'"),
                Arguments.of("actions/glibc_amazon_cve-2015-0235.json:3", "environment->>'ident' ilike 'amazon%'"),
                Arguments.of(
                        "actions/glibc_rhel_cve-2015-0235.json:3",
                        "environment->>'ident' ilike 'red%6.%' or environment->>'ident' ilike 'centos%6.%'"),
                Arguments.of(
                        "actions/glibc_ubuntu_cve-2015-0235.json:3", "environment->>'ident' ilike 'ubuntu 12.04%'"),
                Arguments.of("actions/integration_tests.json:8", "environment->>'os'='linux'"),
                Arguments.of(
                        "actions/shellshock_iocs.json:3", "environment->>'os' IN ('linux','darwin') AND mode='daemon'"),
                Arguments.of("actions/tests_windows.json:8", "agents.environment->>'os' = 'windows'"),
                Arguments.of("actions/scribe/README.md:12", "environment->>'ident' LIKE 'Red%'"),
                // spec §6.3 examples not listed above, and the older client default
                Arguments.of("spec §6.3", "environment->>'isproxied'='true'"),
                Arguments.of("spec §6.3", "heartbeattime > NOW() - interval '1 minute'"),
                Arguments.of("spec §6.3 older default", "status='online' AND mode='daemon'"));
    }
}

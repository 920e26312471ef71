package mig.client.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import mig.common.InvestigatorPerms;
import mig.common.Permission;
import org.junit.jupiter.api.Test;

/** The console's small parts: the grep filter, line splitting, and the original's text formats. */
class ConsolePartsTest {

    @Test
    void grepStagesKeepAndDropLikeTheOriginal() throws Exception {
        Filter f = Filter.parse(List.of("|", "grep", "server1.(dom1|dom2)", "|", "grep", "-v", "example.net"));
        assertTrue(f.keeps("   28090945634692    server1.dom1.mozilla.org [1]"));
        assertFalse(f.keeps("   28090945634692    server1.dom2.example.net [1]"));
        assertFalse(f.keeps("   28090945634692    server2.dom1.mozilla.org [1]"));
        assertTrue(Filter.parse(List.of()).keeps("anything"));
        assertThrows(ConsoleException.class, () -> Filter.parse(List.of("grep", "x")));
        assertThrows(ConsoleException.class, () -> Filter.parse(List.of("|", "grep")));
    }

    @Test
    void operationLinesSplitLikeAShell() throws Exception {
        assertEquals(
                List.of("-path", "/etc", "-name", "pass wd", "-content", "a\\.b"),
                ParamsBuilder.split("-path /etc  -name 'pass wd' -content \"a\\.b\""));
        assertThrows(ConsoleException.class, () -> ParamsBuilder.split("-name 'open"));
    }

    @Test
    void timesAndColumnsPrintAsGoPrintsThem() {
        assertEquals("2026-11-28 18:58:21.425219 +0000 UTC", Text.goTime(Instant.parse("2026-11-28T18:58:21.425219Z")));
        assertEquals("0001-01-01 00:00:00 +0000 UTC", Text.goTime(Instant.parse("0001-01-01T00:00:00Z")));
        assertEquals("2015-09-09T17:01:03Z", Text.rfc3339(Instant.parse("2015-09-09T17:01:03.5Z")));
        assertEquals("memory -c /home/ulfr/.migrc...", Text.column("memory -c /home/ulfr/.migrc -t all -name x", 30));
        assertEquals("short     ", Text.column("short", 10));
    }

    @Test
    void permissionsAreDescribedBySet() {
        Set<Permission> p = EnumSet.copyOf(Permission.DEFAULT);
        assertEquals("Default", Text.describe(InvestigatorPerms.of(p)));
        p.addAll(Permission.ADMIN);
        p.add(Permission.LOADER);
        assertEquals("Default,PermAdmin,PermLoader(partial)", Text.describe(InvestigatorPerms.of(p)));
        assertEquals("", Text.describe(InvestigatorPerms.of(EnumSet.noneOf(Permission.class))));
    }

    @Test
    void seenIdsCompleteNewestFirst() {
        SeenIds seen = new SeenIds();
        seen.saw("action", 1);
        seen.saw("action", 2);
        seen.saw("action", 1);
        assertEquals(List.of("1", "2"), seen.of("action"));
        assertEquals(List.of(), seen.of("agent"));
    }
}

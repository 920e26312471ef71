package mig.agent.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint id in {@code <rundir>/.migagtid}: made once, kept, replaced when broken. */
class AgentIdentityTest {

    @TempDir
    Path dir;

    @Test
    void aNewIdIsAtLeast80AlphanumericsInAReadOnlyFile() throws Exception {
        Path run = dir.resolve("var/lib/mig");
        AgentIdentity id = AgentIdentity.loadOrCreate(run, "linux");
        assertTrue(id.uid().matches("[0-9a-z]{80,}"), id.uid());
        assertEquals("linux." + id.uid(), id.queueLoc());
        assertEquals("mig.agt.linux." + id.uid(), id.queueName());
        Path file = run.resolve(".migagtid");
        assertEquals(id.uid(), Files.readString(file));
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void theIdIsReusedAcrossStarts() throws Exception {
        AgentIdentity first = AgentIdentity.loadOrCreate(dir, "linux");
        AgentIdentity second = AgentIdentity.loadOrCreate(dir, "linux");
        assertEquals(first, second);
    }

    @Test
    void anInvalidIdIsReplaced() throws Exception {
        Files.writeString(dir.resolve(".migagtid"), "linux.vm.legacy-id");
        AgentIdentity id = AgentIdentity.loadOrCreate(dir, "linux");
        assertNotEquals("linux.vm.legacy-id", id.uid());
        assertTrue(AgentIdentity.VALID_UID.matcher(id.uid()).matches());
        assertEquals(id, AgentIdentity.loadOrCreate(dir, "linux"));
    }

    @Test
    void uidsAreRandom() {
        assertNotEquals(AgentIdentity.newUid(), AgentIdentity.newUid());
    }
}

package mig.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo folder is made private (0700): a shared folder such as /tmp is refused, not locked. */
class StandaloneDirTest {

    @TempDir
    Path tmp;

    @Test
    void aFolderEveryUserMayWriteIsRefusedAndLeftAsItWas() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        StringWriter err = new StringWriter();
        int code = new CommandLine(new StandaloneMain())
                .setErr(new PrintWriter(err))
                .execute("--dir", shared.toString(), "--api-port", "0", "--amqp-port", "0");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("--dir " + shared + " is writable by every user"), err.toString());
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
    }
}

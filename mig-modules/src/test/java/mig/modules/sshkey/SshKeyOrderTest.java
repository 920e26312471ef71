package mig.modules.sshkey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The original's walk order: a directory's files before its subdirectories, each as first met. */
class SshKeyOrderTest {

    @Test
    void filesOfADirectoryComeBeforeItsSubdirectoriesOtherwiseInTheOrderFound() {
        // as this project's file module meets them: subdirectory b/.ssh entered before b/x is listed
        List<String> walked = List.of(
                "/t/d/k", "/t/b/.ssh/one", "/t/b/.ssh/two", "/t/b/x", "/t/c/deep/k", "/t/c/f", "/t/a/.ssh/k", "/t/top");
        assertEquals(
                List.of(
                        "/t/top",
                        "/t/d/k",
                        "/t/b/x",
                        "/t/b/.ssh/one",
                        "/t/b/.ssh/two",
                        "/t/c/f",
                        "/t/c/deep/k",
                        "/t/a/.ssh/k"),
                SshKeyModule.originalOrder(walked));
    }

    @Test
    void searchPathsKeepTheirOrder() {
        assertEquals(
                List.of("/root/.ssh/k", "/home/u/.ssh/k", "/home/u/.ssh/sub/k"),
                SshKeyModule.originalOrder(List.of("/root/.ssh/k", "/home/u/.ssh/sub/k", "/home/u/.ssh/k")));
    }
}

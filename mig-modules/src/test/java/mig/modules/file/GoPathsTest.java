package mig.modules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's filepath.Clean and filepath.Dir, which search paths and matchany results go through. */
class GoPathsTest {

    @ParameterizedTest
    @CsvSource(
            value = {
                "''|.",
                "/|/",
                "/etc/|/etc",
                "//etc//ssh/|/etc/ssh",
                "/etc/./ssh/..|/etc",
                "/..|/",
                "a/../..|..",
                "./x|x",
                "../../a/b/..|../../a",
                "/usr/bin|/usr/bin"
            },
            delimiter = '|')
    void cleanIsGos(String in, String out) {
        assertEquals(out, GoPaths.clean(in));
    }

    @ParameterizedTest
    @CsvSource(
            value = {"/etc/hostname|/etc", "/x|/", "x|.", "a/b/c|a/b"},
            delimiter = '|')
    void dirIsGos(String in, String out) {
        assertEquals(out, GoPaths.dir(in));
    }
}

package mig.modules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import mig.common.json.GoTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Go renderings the results and printed lines depend on. */
class GoFormatsTest {

    @ParameterizedTest
    @CsvSource({
        "2016-07-05T15:32:42Z, 2016-07-05 15:32:42 +0000 UTC",
        "2026-11-28T18:50:58.103918164Z, 2026-11-28 18:50:58.103918164 +0000 UTC",
        "2026-11-28T18:50:58.1Z, 2026-11-28 18:50:58.1 +0000 UTC",
        "0099-01-02T03:04:05.000001Z, 0099-01-02 03:04:05.000001 +0000 UTC"
    })
    void timesAreGosTimeString(String instant, String go) {
        assertEquals(go, GoTime.formatString(Instant.parse(instant)));
    }

    @ParameterizedTest
    @CsvSource({
        "0100755, -rwxr-xr-x",
        "0100644, -rw-r--r--",
        "0100000, ----------",
        "0104755, urwxr-xr-x",
        "0106755, ugrwxr-xr-x",
        "0102755, grwxr-xr-x",
        "0041777, dtrwxrwxrwx",
        "0040755, drwxr-xr-x",
        "0120777, Lrwxrwxrwx",
        "0020666, Dcrw-rw-rw-",
        "0060660, Drw-rw----",
        "0010644, prw-r--r--",
        "0140755, Srwxr-xr-x"
    })
    void modesAreGosFileModeString(String octal, String go) {
        assertEquals(go, GoFormats.fileMode(Integer.parseInt(octal, 8)));
    }

    @ParameterizedTest
    @CsvSource({"470384, 470384", "0.5, 0", "1.5, 2", "2.5, 2", "1e21, 1000000000000000000000", "137489, 137489"})
    void fixedZeroIsGosPercentPointZeroF(double d, String go) {
        assertEquals(go, GoFormats.fixed0(d));
    }
}

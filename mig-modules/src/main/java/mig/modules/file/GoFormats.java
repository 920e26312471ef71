package mig.modules.file;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The few Go {@code fmt}/{@code os} renderings that appear in the file module's
 * results and printed lines, so that the original's client prints our results and our printer
 * prints the original's results identically. Go's time string is {@link mig.common.json.GoTime#formatString}.
 */
final class GoFormats {

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_ISUID = 04000;
    private static final int S_ISGID = 02000;
    private static final int S_ISVTX = 01000;

    private GoFormats() {}

    /**
     * Go's {@code os.FileMode.String()} for a Unix {@code st_mode}: type and special-bit letters from
     * {@code dalTLDpSugct?} in Go's bit order, {@code -} when there are none, then {@code rwxrwxrwx}.
     * A setuid executable is {@code urwxr-xr-x}, a character device {@code Dcrw-rw-rw-}.
     */
    static String fileMode(int mode) {
        StringBuilder sb = new StringBuilder(14);
        int type = mode & S_IFMT;
        if (type == S_IFDIR) {
            sb.append('d');
        }
        if (type == S_IFLNK) {
            sb.append('L');
        }
        if (type == S_IFBLK || type == S_IFCHR) {
            sb.append('D');
        }
        if (type == S_IFIFO) {
            sb.append('p');
        }
        if (type == S_IFSOCK) {
            sb.append('S');
        }
        if ((mode & S_ISUID) != 0) {
            sb.append('u');
        }
        if ((mode & S_ISGID) != 0) {
            sb.append('g');
        }
        if (type == S_IFCHR) {
            sb.append('c');
        }
        if ((mode & S_ISVTX) != 0) {
            sb.append('t');
        }
        if (sb.length() == 0) {
            sb.append('-');
        }
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return sb.toString();
    }

    /** Go's {@code fmt.Sprintf("%.0f", d)}: exact value rounded half to even, no exponent. */
    static String fixed0(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        String s = new BigDecimal(d).setScale(0, RoundingMode.HALF_EVEN).toPlainString();
        if (s.equals("0") && (Double.doubleToRawLongBits(d) < 0)) {
            return "-0";
        }
        return s;
    }
}

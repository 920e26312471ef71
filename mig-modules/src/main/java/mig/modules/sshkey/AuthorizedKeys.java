package mig.modules.sshkey;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The vendored {@code ssh.ParseAuthorizedKey}: the first line of {@code in} that holds a public key. */
final class AuthorizedKeys {

    private AuthorizedKeys() {}

    /** The first key found in {@code in}, or null ("ssh: no key found"). */
    static SshPublicKey first(byte[] data) {
        String in = new String(data, StandardCharsets.ISO_8859_1);
        int pos = 0;
        while (pos < in.length()) {
            int nl = in.indexOf('\n', pos);
            String line = nl < 0 ? in.substring(pos) : in.substring(pos, nl);
            pos = nl < 0 ? in.length() : nl + 1;
            int cr = line.indexOf('\r');
            if (cr >= 0) {
                line = line.substring(0, cr);
            }
            line = trim(line);
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int i = indexOfBlank(line, 0);
            if (i < 0) {
                continue;
            }
            SshPublicKey k = key(line.substring(i));
            if (k != null) {
                return k;
            }
            // no key after the first word: maybe the first word is an options field
            boolean inQuote = false;
            int j = 0;
            for (; j < line.length(); j++) {
                char b = line.charAt(j);
                if (!inQuote && (b == ' ' || b == '\t')) {
                    break;
                }
                if (b == '"' && (j == 0 || line.charAt(j - 1) != '\\')) {
                    inQuote = !inQuote;
                }
            }
            if (j == line.length()) {
                // Go's range loop leaves its index on the last byte, not past it
                j = line.length() - 1;
            }
            while (j < line.length() && (line.charAt(j) == ' ' || line.charAt(j) == '\t')) {
                j++;
            }
            if (j == line.length()) {
                continue;
            }
            String after = line.substring(j);
            int k2 = indexOfBlank(after, 0);
            if (k2 < 0) {
                continue;
            }
            k = key(after.substring(k2));
            if (k != null) {
                return k;
            }
        }
        return null;
    }

    /** Go's parseAuthorizedKey: base64 up to the next blank, then ParsePublicKey. */
    private static SshPublicKey key(String in) {
        in = trim(in);
        int i = indexOfBlank(in, 0);
        String b64 = i < 0 ? in : in.substring(0, i);
        byte[] blob;
        try {
            blob = goBase64(b64);
            return SshPublicKey.parse(blob);
        } catch (IllegalArgumentException | SshPublicKey.Invalid e) {
            return null;
        }
    }

    /** Go's base64.StdEncoding.Decode: padding required, CR and LF ignored (none here). */
    private static byte[] goBase64(String s) {
        if (s.length() % 4 != 0) {
            throw new IllegalArgumentException("illegal base64 data");
        }
        return Base64.getDecoder().decode(s);
    }

    private static int indexOfBlank(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** Go's bytes.TrimSpace over ASCII white space. */
    private static String trim(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isSpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isSpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }
}

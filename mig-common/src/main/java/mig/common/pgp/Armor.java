package mig.common.pgp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ASCII armour (RFC 4880 §6) written and read by hand rather than with Bouncy Castle's streams.
 *
 * <p>Why: MIG signatures travel in a de-armoured one-line form whose exact bytes are part of the wire
 * format (base64 body, then '=' and the 4-character CRC24), so output must not depend on the platform
 * line separator or on a {@code Version:} header; and reading several concatenated blocks with a
 * precise error per block is simpler here than with {@code ArmoredInputStream}.
 */
final class Armor {
    static final String SIGNATURE = "SIGNATURE";
    static final String PUBLIC_KEY = "PUBLIC KEY BLOCK";
    static final String PRIVATE_KEY = "PRIVATE KEY BLOCK";

    private static final Pattern BEGIN = Pattern.compile("^-----BEGIN PGP ([A-Z ,/0-9]+)-----$");
    private static final Pattern HEADER = Pattern.compile("^[A-Za-z0-9-]+: ?.*$");
    private static final int LINE = 64;

    /** One decoded armour block. */
    record Block(String type, byte[] data) {}

    private Armor() {}

    /** Armours bytes as "-----BEGIN PGP type-----", no headers, 64-column body, CRC line, LF endings. */
    static String armor(String type, byte[] data) {
        StringBuilder sb = new StringBuilder("-----BEGIN PGP ").append(type).append("-----\n\n");
        appendLines(sb, Base64.getEncoder().encodeToString(data));
        sb.append('=').append(crc24Base64(data)).append('\n');
        return sb.append("-----END PGP ").append(type).append("-----\n").toString();
    }

    /** The MIG one-line form: base64 of the whole packet, '=', base64 of its CRC24. */
    static String toMig(byte[] data) {
        return Base64.getEncoder().encodeToString(data) + "=" + crc24Base64(data);
    }

    /**
     * The original's re-armouring of a MIG one-line signature: split at the last '=', body in
     * 64-character lines, checksum line, BEGIN/END lines. Call {@link #fromMig} first to validate.
     */
    static String migToArmored(String mig) {
        int eq = mig.lastIndexOf('=');
        StringBuilder sb = new StringBuilder("-----BEGIN PGP SIGNATURE-----\n\n");
        appendLines(sb, mig.substring(0, eq));
        sb.append(mig.substring(eq)).append('\n');
        return sb.append("-----END PGP SIGNATURE-----\n").toString();
    }

    /**
     * Decodes a MIG one-line signature to packet bytes, checking base64 and the CRC24.
     *
     * @throws InvalidSignatureException (MALFORMED) with what exactly is wrong
     */
    static byte[] fromMig(String mig) throws InvalidSignatureException {
        int eq = mig.lastIndexOf('=');
        if (eq < 0) {
            throw malformed("no '=' before a CRC24 checksum (expected <base64>=<4 chars>)");
        }
        String body = mig.substring(0, eq);
        String crc = mig.substring(eq + 1);
        if (body.isEmpty()) {
            throw malformed("empty signature body before the '=' checksum separator");
        }
        if (crc.length() != 4) {
            throw malformed("checksum after the last '=' must be 4 base64 characters, got '" + abbreviate(crc) + "'");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw malformed("signature body is not valid base64 (" + e.getMessage() + ")");
        }
        String actual = crc24Base64(data);
        if (!actual.equals(crc)) {
            throw malformed("CRC24 checksum mismatch: text says '" + crc + "', body gives '" + actual
                    + "' (signature text truncated or altered?)");
        }
        return data;
    }

    /**
     * Every armour block found in the text, in order, each checked against its CRC when it has one.
     * Text around blocks (a mail, a comment) is ignored; {@code source} names the text in errors.
     */
    static List<Block> readAll(String text, String source) throws PgpException {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher begin = BEGIN.matcher(lines[i].strip());
            if (!begin.matches()) {
                continue;
            }
            String type = begin.group(1);
            String endLine = "-----END PGP " + type + "-----";
            int j = i + 1;
            while (j < lines.length && HEADER.matcher(lines[j].strip()).matches()) {
                j++;
            }
            StringBuilder body = new StringBuilder();
            String crc = null;
            for (; j < lines.length; j++) {
                String line = lines[j].strip();
                if (line.startsWith("-----")) {
                    break;
                }
                if (line.startsWith("=") && line.length() == 5) {
                    crc = line.substring(1);
                } else {
                    body.append(line);
                }
            }
            if (j >= lines.length || !lines[j].strip().equals(endLine)) {
                throw new PgpException("armoured PGP " + type + " in " + source + " starting on line " + (i + 1)
                        + " is not closed by '" + endLine + "'");
            }
            byte[] data;
            try {
                data = Base64.getDecoder().decode(body.toString());
            } catch (IllegalArgumentException e) {
                throw new PgpException("armoured PGP " + type + " in " + source + " starting on line " + (i + 1)
                        + " has invalid base64: " + e.getMessage());
            }
            if (crc != null && !crc.equals(crc24Base64(data))) {
                throw new PgpException("armoured PGP " + type + " in " + source + " starting on line " + (i + 1)
                        + " fails its CRC24 checksum (file truncated or altered?)");
            }
            blocks.add(new Block(type, data));
            i = j;
        }
        return blocks;
    }

    /**
     * Whether bytes look like armoured text rather than binary packets. Binary OpenPGP data always
     * starts with a packet tag byte, which has its high bit set; text may have a preamble of any length.
     */
    static boolean looksArmored(byte[] data) {
        return isText(data) && new String(data, StandardCharsets.ISO_8859_1).contains("-----BEGIN PGP ");
    }

    /** First byte is not an OpenPGP packet tag: ASCII text, or UTF-8 text after a byte order mark. */
    static boolean isText(byte[] data) {
        boolean bom =
                data.length >= 3 && (data[0] & 0xFF) == 0xEF && (data[1] & 0xFF) == 0xBB && (data[2] & 0xFF) == 0xBF;
        return data.length > 0 && ((data[0] & 0x80) == 0 || bom);
    }

    static String crc24Base64(byte[] data) {
        int crc = 0xB704CE;
        for (byte b : data) {
            crc ^= (b & 0xFF) << 16;
            for (int k = 0; k < 8; k++) {
                crc <<= 1;
                if ((crc & 0x1000000) != 0) {
                    crc ^= 0x1864CFB;
                }
            }
        }
        byte[] three = {(byte) (crc >> 16), (byte) (crc >> 8), (byte) crc};
        return Base64.getEncoder().encodeToString(three);
    }

    private static void appendLines(StringBuilder sb, String base64) {
        for (int i = 0; i < base64.length(); i += LINE) {
            sb.append(base64, i, Math.min(base64.length(), i + LINE)).append('\n');
        }
    }

    private static InvalidSignatureException malformed(String what) {
        return new InvalidSignatureException(
                InvalidSignatureException.Reason.MALFORMED, "malformed MIG signature: " + what);
    }

    static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 24) + "...";
    }
}

package mig.client.console;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import mig.common.Investigator;
import mig.common.InvestigatorPerms;
import mig.common.Permission;
import mig.common.config.GoDuration;

/**
 * The console's text formats, as the original's Go code prints them: fixed-width columns that pad
 * or cut with {@code ...}, Go's {@code time.Time.String()}, RFC 3339, and the descriptive
 * permission names.
 */
final class Text {
    static final String GREEN = "\u001b[32;1m";
    static final String RESET = "\u001b[0m";

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    private Text() {}

    /** Pads to {@code width}, or cuts to {@code width - 3} plus {@code ...} (the original's columns). */
    static String column(String s, int width) {
        if (s.length() > width) {
            return s.substring(0, width - 3) + "...";
        }
        return pad(s, width);
    }

    /** Pads with spaces to at least {@code width}, never cuts. */
    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Go's {@code t.Format(time.RFC3339)} of a UTC time: {@code 2015-09-09T13:01:03Z}. */
    static String rfc3339(Instant t) {
        return RFC3339.format(t.atOffset(ZoneOffset.UTC));
    }

    /** Go's {@code time.Time.String()} of a UTC time: {@code 2026-11-28 18:58:21.425219 +0000 UTC}. */
    static String goTime(Instant t) {
        OffsetDateTime d = t.atOffset(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(String.format(
                "%04d-%02d-%02d %02d:%02d:%02d",
                d.getYear(), d.getMonthValue(), d.getDayOfMonth(), d.getHour(), d.getMinute(), d.getSecond()));
        if (d.getNano() != 0) {
            String frac = String.format("%09d", d.getNano()).replaceAll("0+$", "");
            sb.append('.').append(frac);
        }
        return sb.append(" +0000 UTC").toString();
    }

    /** Go's {@code Duration.String()}. */
    static String goDuration(Duration d) {
        return GoDuration.format(d);
    }

    /** Investigator names joined with {@code "; "}, in a column of {@code width}. */
    static String investigators(List<Investigator> invs, int width) {
        StringBuilder s = new StringBuilder();
        if (invs != null) {
            for (Investigator i : invs) {
                if (s.length() > 0) {
                    s.append("; ");
                }
                s.append(i.name());
            }
        }
        return column(s.toString(), width);
    }

    /** The original's {@code ToDescriptive}: which permission sets are held, fully or partly. */
    static String describe(InvestigatorPerms perms) {
        Set<Permission> have = perms.toSet();
        StringBuilder out = new StringBuilder();
        add(out, "Default", Permission.DEFAULT, have);
        add(out, "PermAdmin", Permission.ADMIN, have);
        add(out, "PermLoader", Permission.LOADER_SET, have);
        add(out, "PermManifest", Permission.MANIFEST_SET, have);
        return out.toString();
    }

    private static void add(StringBuilder out, String name, Set<Permission> set, Set<Permission> have) {
        long held = set.stream().filter(have::contains).count();
        String v = held == set.size() ? name : held > 0 ? name + "(partial)" : "";
        if (!v.isEmpty()) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(v);
        }
    }

    /** {@code help} of a mode: the banner line every reader prints on entry. */
    static String enterMode(String mode) {
        return "Entering " + mode + " mode. Type " + GREEN + "exit" + RESET + " or press " + GREEN + "ctrl+d" + RESET
                + " to leave. " + GREEN + "help" + RESET + " may help.";
    }
}

package mig.modules.file;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mig.modules.GoFlags;
import mig.modules.ParameterException;

/**
 * The client's {@code mig file} flags, parsed as the original's Go {@code flag} package does
 * ({@code -flag value}, {@code -flag=value}, one or two dashes, boolean flags without a value,
 * {@code --} ends the flags) into one search labelled {@code s1} with the original's defaults:
 * maxdepth 1000, maxerrors 30, matchlimit 1000, matchall on. {@code -sha256}, {@code -sha384} and
 * {@code -sha512} are accepted as {@code -sha2} with the length checked. Unlike the original, an
 * argument left after the flags is refused instead of being ignored.
 *
 * <p>A thin layer over the modules' one flag parser, {@link GoFlags}: this class declares the file
 * module's flags and turns them into its search.
 */
final class FileSearchParser {

    private static final List<String> LISTS =
            List.of("path", "name", "size", "mode", "mtime", "content", "md5", "sha1", "sha2", "sha3", "mismatch");
    private static final List<String> SHA2 = List.of("sha256", "sha384", "sha512");

    private FileSearchParser() {}

    /**
     * Parses and validates the flags.
     *
     * @throws ParameterException with the help text as message when help is asked for (no
     *         arguments, {@code help}, {@code -h}, {@code -help}), or naming the flag and the rule
     */
    static FileParameters parse(List<String> args, Instant now) throws ParameterException {
        if (args.isEmpty() || args.get(0).isEmpty() || args.get(0).equals("help")) {
            throw new ParameterException(FileHelp.text());
        }
        GoFlags flags = new GoFlags(FileHelp.text())
                .strayHint("every search parameter is a flag such as -name <regex> (see 'mig file help')")
                .plainBoolErrors()
                .number("maxdepth", 1000)
                .number("maxerrors", 30)
                .number("matchlimit", 1000)
                .bool("matchall", true)
                .bool("matchany", false)
                .bool("macroal", false)
                .bool("verbose", false)
                .bool("returnsha256", false)
                .bool("decompress", false);
        for (String f : LISTS) {
            flags.repeatable(f);
        }
        for (String f : SHA2) {
            flags.repeatable(f, "sha2", value -> checkLength(f, value));
        }
        flags.parse(args);
        Search search = search(flags);
        SearchCompiler.compile(0, "s1", search, now);
        return new FileParameters(Map.of("s1", search));
    }

    /** {@code -sha256}, {@code -sha384} and {@code -sha512}: {@code -sha2} with the hash's length checked. */
    private static void checkLength(String flag, String value) throws ParameterException {
        int want = flag.equals("sha256") ? 64 : flag.equals("sha384") ? 96 : 128;
        if (value.length() != want) {
            throw new ParameterException("invalid value " + GoFlags.quote(value) + " for flag -" + flag + ": a "
                    + flag.toUpperCase(Locale.ROOT).replace("SHA", "SHA-") + " hash is " + want
                    + " hexadecimal characters");
        }
    }

    private static List<String> list(GoFlags flags, String name) {
        List<String> values = flags.valuesOf(name);
        return values.isEmpty() ? null : values;
    }

    private static Search search(GoFlags flags) {
        Options options = new Options(
                flags.numberOf("maxdepth"),
                flags.numberOf("maxerrors"),
                false,
                flags.boolOf("matchall") && !flags.boolOf("matchany"),
                flags.boolOf("macroal"),
                list(flags, "mismatch"),
                flags.numberOf("matchlimit"),
                null,
                flags.boolOf("returnsha256"),
                flags.boolOf("decompress"));
        return new Search(
                null,
                list(flags, "path"),
                list(flags, "content"),
                list(flags, "name"),
                list(flags, "size"),
                list(flags, "mode"),
                list(flags, "mtime"),
                list(flags, "md5"),
                list(flags, "sha1"),
                list(flags, "sha2"),
                list(flags, "sha3"),
                options);
    }
}

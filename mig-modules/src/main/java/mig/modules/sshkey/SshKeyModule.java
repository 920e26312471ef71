package mig.modules.sshkey;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.GoDecode;
import mig.modules.GoFlags;
import mig.modules.HasParamsParser;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.ParameterException;
import mig.modules.RunContext;
import mig.modules.file.FileModule;

/**
 * The {@code sshkey} module: SSH private keys, public keys and authorized_keys entries under
 * {@code paths} (default {@code /root} and {@code /home}), with their MD5 and SHA256 fingerprints.
 *
 * <p>As the original: the file module finds the candidates (files under 1 MB, at most
 * {@code maxdepth} deep (default 8), with a line starting {@code -----BEGIN RSA PRIVATE KEY},
 * {@code -----BEGIN DSA PRIVATE KEY}, {@code ssh-rsa } or {@code ssh-dss }); each candidate is
 * tried as a private key ({@link PrivateKeys}), then as a public key or, when named
 * {@code authorized_keys} or {@code authorized_keys2}, as one key a line ({@link AuthorizedKeys}).
 * Only the path, type, encryption flag and fingerprints are returned, nothing of the keys or of
 * the file search's own errors. See {@code docs/modules/sshkey.md}.
 */
public final class SshKeyModule implements Module, HasParamsParser, HasResultsPrinter {

    /** The original's candidateRegex. */
    static final String CANDIDATE_REGEX = "^(-----BEGIN (RSA|DSA) PRIVATE KEY|ssh-(rsa|dss) )";

    /** The original's {@code printHelp(true)}. */
    static final String HELP = """
            Query parameters
            ----------------
            -path <string>  - specify a path to search for keys, more than one path option
                              can be specified on the command line. if the path option is not
                              present an OS specific default will be used (/root and /home for
                              Linux and Darwin, and c:\\Users for Windows).

            -maxdepth <int> - override default search depth of 8.
            """;

    /** Files larger than this are not candidates (the original's {@code -size <1m}). */
    private static final long MAX_KEY_FILE = 1024 * 1024;

    @Override
    public String name() {
        return "sshkey";
    }

    record Params(List<String> paths, int maxdepth) {}

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        List<String> soft = new ArrayList<>();
        try {
            Params p = read(parameters);
            List<String> paths = p.paths().isEmpty() ? List.of("/root", "/home") : p.paths();
            int maxdepth = p.maxdepth() == 0 ? 8 : p.maxdepth();
            List<String> candidates = findCandidates(paths, maxdepth, context);
            List<KeyInfo> keys = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                if (context.pastDeadline() || Thread.currentThread().isInterrupted()) {
                    soft.add("deadline reached: " + (candidates.size() - i) + " candidate files not examined");
                    break;
                }
                processCandidate(candidates.get(i), keys, soft);
            }
            // Go's nil slice when nothing was found: "keys":null
            JsonNode elements = JsonNodeFactory.instance.pojoNode(new Elements(keys.isEmpty() ? null : keys));
            return new ModuleResult(!keys.isEmpty(), true, elements, null, soft.isEmpty() ? null : soft);
        } catch (ParameterException e) {
            soft.add(e.getMessage());
            return new ModuleResult(false, false, null, null, soft);
        } catch (RuntimeException e) {
            // the original's recover(): the soft errors, then the panic's text
            soft.add(String.valueOf(e));
            return new ModuleResult(false, false, null, null, soft);
        }
    }

    static Params read(JsonNode json) throws ParameterException {
        JsonNode p = GoDecode.object(json, "sshkey.parameters");
        List<String> paths = GoDecode.strings(p, "paths", "parameters.paths");
        JsonNode md = p.get("maxdepth");
        int maxdepth = 0;
        if (md != null && !md.isNull()) {
            if (!md.isNumber()) {
                throw new ParameterException("ReadInputParameters() -> json: cannot unmarshal " + kind(md)
                        + " into Go struct field parameters.maxdepth of type int");
            }
            if (!md.isIntegralNumber() || !md.canConvertToLong()) {
                throw new ParameterException("ReadInputParameters() -> json: cannot unmarshal number " + md.asText()
                        + " into Go struct field parameters.maxdepth of type int");
            }
            long v = md.asLong();
            if (v < 0 || v > 1000) {
                throw new ParameterException("maxdepth should be specified from 0-1000");
            }
            maxdepth = (int) v;
        }
        return new Params(paths, maxdepth);
    }

    private static String kind(JsonNode n) {
        return n.isTextual() ? "string" : n.isBoolean() ? "bool" : n.isArray() ? "array" : "object";
    }

    /** The original's findCandidates: one file module search, s1, with the original's flags. */
    private static List<String> findCandidates(List<String> paths, int maxdepth, RunContext context)
            throws ParameterException {
        FileModule file = new FileModule();
        List<String> args = new ArrayList<>();
        for (String x : paths) {
            args.add("-path");
            args.add(x);
        }
        args.addAll(List.of("-content", CANDIDATE_REGEX, "-maxdepth", Integer.toString(maxdepth), "-size", "<1m"));
        JsonNode params = file.parseArgs(args);
        ModuleResult r = file.run(params, context);
        JsonNode elements = GoJson.tree(GoJson.marshal(r.elements()));
        JsonNode s1 = elements.get("s1");
        if (s1 == null) {
            throw new IllegalStateException("result in file module call was missing");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : s1) {
            String f = x.path("file").asText("");
            if (!f.isEmpty()) {
                out.add(f);
            }
        }
        return originalOrder(out);
    }

    /**
     * The candidates in the order the original's file walk found them. Both walks list a directory
     * in the order the kernel gives its entries, but the original inspects all of a directory's
     * files before entering its subdirectories, while this project's file module enters a
     * subdirectory as soon as it meets it. Keeping each directory's files and subdirectories in the
     * order they were met, files first, gives back the original's order.
     */
    static List<String> originalOrder(List<String> found) {
        Node top = new Node();
        for (String f : found) {
            Path p = Path.of(f);
            Node n = top;
            Path parent = p.getParent();
            if (parent != null) {
                for (Path c : parent) {
                    n = n.dirs.computeIfAbsent(c.toString(), k -> new Node());
                }
            }
            n.files.add(f);
        }
        List<String> out = new ArrayList<>(found.size());
        top.emit(out);
        return out;
    }

    private static final class Node {
        private final List<String> files = new ArrayList<>();
        private final java.util.LinkedHashMap<String, Node> dirs = new java.util.LinkedHashMap<>();

        void emit(List<String> out) {
            out.addAll(files);
            dirs.values().forEach(d -> d.emit(out));
        }
    }

    private static void processCandidate(String path, List<KeyInfo> keys, List<String> soft) {
        byte[] buf = readFile(path);
        if (buf == null) {
            return;
        }
        PrivateKeys.Found priv = PrivateKeys.parse(buf);
        if (priv != null) {
            add(keys, path, priv.publicKey(), priv.encrypted(), "private");
            return;
        }
        String base = Path.of(path).getFileName() == null
                ? path
                : Path.of(path).getFileName().toString();
        if (!base.equals("authorized_keys") && !base.equals("authorized_keys2")) {
            SshPublicKey k = AuthorizedKeys.first(buf);
            if (k != null) {
                add(keys, path, k, false, "public");
            }
            return;
        }
        boolean parseError = false;
        int start = 0;
        for (int i = 0; i <= buf.length; i++) {
            if (i < buf.length && buf[i] != '\n') {
                continue;
            }
            byte[] line = java.util.Arrays.copyOfRange(buf, start, i);
            start = i + 1;
            if (line.length == 0) {
                continue;
            }
            SshPublicKey k = AuthorizedKeys.first(line);
            if (k != null) {
                add(keys, path, k, false, "authorizedkeys");
            } else if (!parseError) {
                soft.add(path + " contained unparsable data");
                parseError = true;
            }
        }
    }

    /** The candidate's bytes; null when it cannot be read (or has grown past 1 MB) since the search. */
    private static byte[] readFile(String path) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            byte[] b = in.readNBytes((int) MAX_KEY_FILE + 1);
            return b.length > MAX_KEY_FILE ? null : b;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void add(List<KeyInfo> keys, String path, SshPublicKey k, boolean encrypted, String type) {
        keys.add(new KeyInfo(k == null ? "" : k.md5(), k == null ? "" : k.sha256(), path, encrypted, type));
    }

    /** The original's KeyInfo, in its field order. */
    record KeyInfo(
            @JsonProperty("fingerprint_md5") String fingerprintMd5,
            @JsonProperty("fingerprint_sha256") String fingerprintSha256,
            @JsonProperty("path") String path,
            @JsonProperty("encrypted") boolean encrypted,
            @JsonProperty("type") String type) {}

    /** The original's Elements. */
    record Elements(@JsonProperty("keys") List<KeyInfo> keys) {}

    @Override
    public JsonNode parseArgs(List<String> args) throws ParameterException {
        if (!args.isEmpty() && args.get(0).equals("help")) {
            return null; // the original printed its help and returned no error
        }
        GoFlags f = new GoFlags(HELP).repeatable("path").repeatable("maxdepth").parse(args);
        String md = f.lastOf("maxdepth", "0");
        long depth;
        try {
            depth = goInt(md);
        } catch (NumberFormatException e) {
            throw new ParameterException("invalid value \"" + md + "\" for flag -maxdepth: parse error");
        }
        if (depth < 0 || depth > 1000) {
            throw new ParameterException("maxdepth should be specified from 0-1000");
        }
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        ArrayNode paths = JsonNodeFactory.instance.arrayNode();
        f.valuesOf("path").forEach(paths::add);
        params.set("paths", f.valuesOf("path").isEmpty() ? JsonNodeFactory.instance.nullNode() : paths);
        params.put("maxdepth", depth);
        return params;
    }

    /** Go's flag IntVar: strconv.ParseInt(s, 0, 64): decimal, 0x hex, 0o/0 octal, 0b binary, underscores. */
    static long goInt(String s) {
        String t = s;
        boolean neg = false;
        if (t.startsWith("+") || t.startsWith("-")) {
            neg = t.startsWith("-");
            t = t.substring(1);
        }
        int radix = 10;
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("0x")) {
            radix = 16;
            t = t.substring(2);
        } else if (lower.startsWith("0b")) {
            radix = 2;
            t = t.substring(2);
        } else if (lower.startsWith("0o")) {
            radix = 8;
            t = t.substring(2);
        } else if (t.length() > 1 && t.startsWith("0")) {
            radix = 8;
            t = t.substring(1);
        }
        if (t.isEmpty() || t.startsWith("+") || t.startsWith("-") || t.contains("_")) {
            throw new NumberFormatException(s);
        }
        long v = Long.parseLong(t, radix);
        return neg ? -v : v;
    }

    @Override
    public String help() {
        return HELP;
    }

    @Override
    public List<String> printResults(ModuleResult result, boolean foundOnly) {
        List<String> out = new ArrayList<>();
        for (JsonNode x : GoJson.tree(GoJson.marshal(result.elements())).path("keys")) {
            String type = x.path("type").asText();
            StringBuilder ln = new StringBuilder(x.path("path").asText())
                    .append(" [")
                    .append(type)
                    .append(']');
            if (type.equals("private")) {
                ln.append(" encrypted=").append(x.path("encrypted").asBoolean());
            }
            String md5 = x.path("fingerprint_md5").asText("");
            String sha = x.path("fingerprint_sha256").asText("");
            ln.append(" md5fp=")
                    .append(md5.isEmpty() ? "unknown" : md5)
                    .append(" sha256fp=")
                    .append(sha.isEmpty() ? "unknown" : sha);
            out.add(ln.toString());
        }
        if (!foundOnly && result.errors() != null) {
            out.addAll(result.errors());
        }
        return out;
    }
}

package mig.runner.plugin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.Modules;
import mig.runner.RunnerResult;

/**
 * The sample output plugin {@code jsonlines}: reads one result set (the runner's JSON) on stdin and
 * writes one JSON object per line for each finding, ready for a SIEM to ingest (Filebeat, Fluent
 * Bit, Splunk's forwarder and the like read such files as they are).
 *
 * <p>A finding is one line of a module's own results printer in "found only" mode (for
 * {@code file}: the matching path and its metadata) on one agent; an error a module reported is an
 * object with {@code "type":"error"}. Every object carries the job, the action, the command and the
 * agent. Output goes to {@code $MIG_JSONLINES_FILE} if set, else to
 * {@code $MIG_RUNNER_DIRECTORY/findings.jsonl} (the runner sets that variable), else to stdout;
 * the file is appended to under a lock, so plugins running at once do not interleave lines.
 *
 * <p>Exit status: 0 when written, 1 when the input is not a result set (said on stderr, which the
 * runner logs), 2 when the output cannot be written.
 */
public final class JsonLinesPlugin {
    private JsonLinesPlugin() {}

    public static void main(String[] args) throws IOException {
        byte[] input = System.in.readAllBytes();
        List<String> lines;
        try {
            lines = lines(GoJson.unmarshal(input, RunnerResult.class), Instant.now());
        } catch (GoJsonException e) {
            System.err.println("jsonlines: input is not a mig-runner result set: " + e.getMessage());
            System.exit(1);
            return;
        }
        Optional<Path> out = output(System.getenv());
        try {
            if (out.isEmpty()) {
                PrintStream ps = new PrintStream(System.out, false, StandardCharsets.UTF_8);
                lines.forEach(ps::println);
                ps.flush();
            } else {
                append(out.get(), lines);
            }
        } catch (IOException e) {
            System.err.println("jsonlines: cannot write " + out.orElse(null) + ": " + e.getMessage());
            System.exit(2);
        }
        System.err.println("jsonlines: " + lines.size() + " findings written to "
                + out.map(Path::toString).orElse("stdout"));
    }

    static Optional<Path> output(Map<String, String> env) {
        String file = env.getOrDefault("MIG_JSONLINES_FILE", "");
        if (!file.isBlank()) {
            return Optional.of(Path.of(file));
        }
        String dir = env.getOrDefault("MIG_RUNNER_DIRECTORY", "");
        return dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir, "findings.jsonl"));
    }

    private static void append(Path file, List<String> lines) throws IOException {
        StringBuilder all = new StringBuilder();
        lines.forEach(l -> all.append(l).append('\n'));
        byte[] data = all.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            FileLock lock = ch.lock();
            try {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            } finally {
                lock.release();
            }
        }
    }

    /** The JSON lines for one result set. */
    public static List<String> lines(RunnerResult r, Instant now) {
        List<String> out = new ArrayList<>();
        List<Operation> ops =
                r.action().operations() == null ? List.of() : r.action().operations();
        for (Command c : r.commands() == null ? List.<Command>of() : r.commands()) {
            List<ModuleResult> results = c.results() == null ? List.of() : c.results();
            for (int i = 0; i < results.size(); i++) {
                ModuleResult res = results.get(i);
                String module = i < ops.size() ? ops.get(i).module() : "";
                for (String err : res.errors() == null ? List.<String>of() : res.errors()) {
                    ObjectNode o = base(r, c, module, now);
                    o.put("type", "error");
                    o.put("error", err);
                    out.add(GoJson.marshal(o));
                }
                if (!res.foundAnything()) {
                    continue;
                }
                Optional<Module> m = Modules.get(module);
                List<String> findings;
                if (m.isPresent() && m.get() instanceof HasResultsPrinter p) {
                    findings = p.printResults(res, true);
                } else {
                    findings = List.of(GoJson.marshal(res.elements()));
                }
                for (String f : findings) {
                    ObjectNode o = base(r, c, module, now);
                    o.put("type", "finding");
                    o.put("finding", f);
                    out.add(GoJson.marshal(o));
                }
            }
        }
        return out;
    }

    private static ObjectNode base(RunnerResult r, Command c, String module, Instant now) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("timestamp", now.toString());
        o.put("source", "mig-runner");
        o.put("job", r.entityName());
        o.put("actionid", r.action().id());
        o.put("actionname", r.action().name());
        o.put("commandid", c.id());
        o.put("status", c.status());
        o.put("agent", c.agent().name());
        o.put("agentid", c.agent().id());
        o.put("module", module);
        return o;
    }
}

package mig.modules.agentdestroy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.GoDecode;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.ParameterException;
import mig.modules.RunContext;

/**
 * The {@code agentdestroy} module: kills another agent's process, given its {@code pid} and
 * {@code version}, refusing to kill the agent running it. The scheduler sends it, signed with its
 * own key, to the older of two agents sharing a queue location ({@code [agent] killdupagents}).
 *
 * <p>As the original: the PID must be in [2:65535] and the version not empty; the target's
 * executable is {@code /proc/PID/exe}; when it is this agent's own executable it is left in place
 * ("Executable not removed because current agent uses it as well") and only the process is killed;
 * otherwise the executable must answer {@code -V} with the version, is removed, and the process is
 * killed (SIGKILL). No command-line parser: the original client refused to run it.
 *
 * <p>Two checks more than the original, so that a signed action cannot kill or delete anything but
 * an agent: a target running this agent's own executable (a Java agent's is the JVM, shared with
 * every other Java program on the host) must run this agent's main class; any other target's
 * executable must be named {@code mig-agent*}, as the original's packages install it (the
 * original removed whatever binary answered {@code -V} with the given version, {@code python3}
 * included). See {@code docs/modules/agentdestroy.md}.
 */
public final class AgentDestroyModule implements Module, HasResultsPrinter {

    /** The main class our launchers run the agent with. */
    static final String AGENT_MAIN = "mig.agent.AgentMain";

    private static final long VERSION_TIMEOUT_SECONDS = 30;

    private final long self;
    private final Path proc;
    private final String agentMain;

    public AgentDestroyModule() {
        this(ProcessHandle.current().pid(), Path.of("/proc"), AGENT_MAIN);
    }

    /** Another identity for "me", /proc and agent main class (tests). */
    AgentDestroyModule(long self, Path proc, String agentMain) {
        this.self = self;
        this.proc = proc;
        this.agentMain = agentMain;
    }

    @Override
    public String name() {
        return "agentdestroy";
    }

    /** A failure that ends the run, as the original's panics did. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        List<String> errors = new ArrayList<>();
        try {
            JsonNode p = GoDecode.object(parameters, "agentdestroy.Parameters");
            long pid = GoDecode.integer(p, "pid", "Parameters.pid");
            String version = GoDecode.string(p, "version", "Parameters.version");
            if (pid < 2 || pid > 65535) {
                throw new Refused("PID '" + pid + "' is not in the range [2:65535]");
            }
            if (version.isEmpty()) {
                throw new Refused("parameter 'version' is empty. Expecting version.");
            }
            if (pid == self) {
                throw new Refused("PID '" + pid + "' is mine. Refusing to suicide.");
            }
            Path target = executable(pid)
                    .orElseThrow(() -> new Refused("Executable path of PID '" + pid + "' not found: 'readlink "
                            + proc.resolve(pid + "/exe") + ": " + why(pid) + "'"));
            Path mine;
            try {
                mine = Files.readSymbolicLink(proc.resolve("self/exe"));
            } catch (IOException | UnsupportedOperationException e) {
                throw new Refused("Failed to retrieve my executable location: '" + e.getMessage() + "'");
            }
            String removeStatus = "";
            if (mine.equals(target)) {
                if (!runsAgentMain(pid)) {
                    throw new Refused("PID '" + pid + "' runs " + target + " but is not a MIG agent (" + agentMain
                            + "). Refusing to kill it.");
                }
                errors.add("Executable not removed because current agent uses it as well");
            } else {
                if (!target.getFileName().toString().startsWith("mig-agent")) {
                    throw new Refused("PID '" + pid + "' runs " + target
                            + ", which is not a MIG agent executable (mig-agent*). Refusing to kill it.");
                }
                String found = agentVersion(target);
                if (!found.equals(version)) {
                    throw new Refused("Version mismatch. Expected '" + version + "', found '" + found + "'");
                }
                try {
                    Files.delete(target);
                } catch (IOException e) {
                    throw new Refused(
                            "Failed to remove executable '" + target + "': 'remove " + target + ": " + reason(e) + "'");
                }
                removeStatus = " and its executable removed from " + target;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty()) {
                throw new Refused("PID '" + pid + "' not killed. Returned error 'os: process already finished'");
            }
            if (!h.get().destroyForcibly()) {
                throw new Refused("PID '" + pid + "' not killed. Returned error 'operation not permitted'");
            }
            return new ModuleResult(
                    false,
                    true,
                    JsonNodeFactory.instance.textNode(
                            "PID " + pid + " from agent " + version + " has been killed" + removeStatus),
                    null,
                    errors.isEmpty() ? null : errors);
        } catch (ParameterException | Refused e) {
            errors.add(e.getMessage());
        } catch (RuntimeException e) {
            errors.add(String.valueOf(e));
        }
        return new ModuleResult(false, false, null, null, errors);
    }

    private Optional<Path> executable(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(proc.resolve(pid + "/exe")));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private String why(long pid) {
        try {
            Files.readSymbolicLink(proc.resolve(pid + "/exe"));
            return "unknown error";
        } catch (IOException e) {
            return reason(e);
        }
    }

    /** Go's wording of an I/O failure's errno. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return String.valueOf(e.getMessage());
    }

    /** Whether the process's command line runs the agent's main class (one argument equal to it). */
    private boolean runsAgentMain(long pid) {
        try {
            byte[] raw = Files.readAllBytes(proc.resolve(pid + "/cmdline"));
            for (String arg : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                if (arg.equals(agentMain)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The original's getAgentVersion: {@code <binary> -V}, its output without the last byte. */
    private static String agentVersion(Path binary) throws Refused {
        String prefix = "Failed to check agent version: 'getAgentVersion() -> ";
        Process p;
        try {
            p = new ProcessBuilder(binary.toString(), "-V")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new Refused(prefix + "fork/exec " + binary + ": " + reason(e) + "'");
        }
        try (InputStream in = p.getInputStream()) {
            byte[] out = in.readNBytes(4096);
            if (!p.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Refused(prefix + "no answer to -V within " + VERSION_TIMEOUT_SECONDS + "s'");
            }
            if (p.exitValue() != 0) {
                throw new Refused(prefix + "exit status " + p.exitValue() + "'");
            }
            if (out.length < 2) {
                throw new Refused(prefix + "Failed to retrieve agent version.'");
            }
            return new String(out, 0, out.length - 1, StandardCharsets.UTF_8);
        } catch (IOException e) {
            p.destroyForcibly();
            throw new Refused(prefix + e.getMessage() + "'");
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Refused(prefix + "interrupted'");
        }
    }

    @Override
    public List<String> printResults(ModuleResult result, boolean foundOnly) {
        List<String> out = new ArrayList<>();
        JsonNode el = GoJson.tree(GoJson.marshal(result.elements()));
        if (el.isTextual()) {
            if (!el.asText().isEmpty()) {
                out.add(el.asText());
            }
        } else if (!el.isNull()) {
            out.add("[error] failed to retrieve status message from results");
        }
        if (foundOnly) {
            return out;
        }
        if (result.errors() != null) {
            for (String e : result.errors()) {
                out.add("[error] " + e);
            }
        }
        out.add(result.success() ? "agentdestroy module has succeeded" : "agentdestroy module has failed");
        return out;
    }
}

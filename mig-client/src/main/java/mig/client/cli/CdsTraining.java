package mig.client.cli;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import mig.client.agentsearch.AgentSearchMain;
import mig.client.console.ConsoleMain;
import mig.client.generator.ActionGeneratorMain;

/**
 * The workload {@code mig-client/launch} runs once to record an AppCDS archive (into
 * {@code ~/.cache/mig}): the start-up paths of every tool, so the classes they load are mapped from
 * the archive instead of being read and verified from jars on each run. It prints nothing, reads
 * no migrc (every run names a missing one), contacts nothing, and reads only the JDK's {@code conf}
 * folder for its {@code -t local} file searches.
 */
public final class CdsTraining {
    private CdsTraining() {}

    public static void main(String[] args) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        MigMain.Io io = new MigMain.Io(
                sink, sink, new ByteArrayInputStream(new byte[0]), false, false, new Colours(true), Clock.systemUTC());
        MigMain.run(List.of("help"), io);
        MigMain.run(List.of("-V"), io);
        for (String m : Usage.cliModules()) {
            MigMain.run(List.of(m, "help"), io);
        }
        String none = "/nonexistent/migrc";
        MigMain.run(List.of("file", "-c", none, "-p", "-t", "all", "-path", "/etc", "-name", "^passwd$"), io);
        MigMain.run(List.of("netstat", "-c", none, "-p", "-lp", "22"), io);
        MigMain.run(List.of("memory", "-c", none, "-p", "-name", "bash"), io);
        MigMain.run(List.of("pkg", "-c", none, "-t", "local", "-name", "^openssl$"), io);
        MigMain.run(List.of("file", "-c", none, "-path", "/etc"), io);
        // -t local runs the file module in this JVM: the walk, names, digests and contents, over the
        // JDK's own small conf folder (read only; nothing is printed)
        String conf = System.getProperty("java.home") + "/conf";
        MigMain.run(List.of("file", "-t", "local", "-path", conf, "-name", "\\.properties$"), io);
        MigMain.run(List.of("file", "-t", "local", "-path", conf, "-maxdepth", "1", "-sha2", "0".repeat(64)), io);
        MigMain.run(List.of("file", "-t", "local", "-path", conf, "-maxdepth", "1", "-content", "^#"), io);
        ConsoleMain.run(List.of("-V"), io);
        ConsoleMain.run(List.of("-q", "-c", none), io);
        ActionGeneratorMain.run(List.of("-V"), io);
        AgentSearchMain.run(List.of("-c", none, "-t", "status='online'"), io);
        System.exit(0);
    }
}

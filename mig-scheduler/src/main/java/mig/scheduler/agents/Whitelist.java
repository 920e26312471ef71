package mig.scheduler.agents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import mig.common.regex.GoRegexp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code [agent] whitelist} file (spec §6.5): one queueloc per line, or {@code re:<regex>}, a
 * Go regexp that the original compiles as {@code "^" + regex + "$"} and looks for in the queueloc
 * (so {@code re:a|b} is {@code ^a|b$}: a queueloc starting with {@code a} or ending with
 * {@code b}), done the same way here with {@link GoRegexp}: Go's syntax and semantics, not
 * {@code java.util.regex}'s. Without a file every agent is allowed. The original read
 * the file at every heartbeat; this reads it again when its modification time changes. An
 * unreadable file allows nobody (the original failed every heartbeat), and says so once.
 */
public final class Whitelist {

    private static final Logger LOG = LoggerFactory.getLogger(Whitelist.class);

    private final Optional<Path> file;
    private FileTime loadedAt;
    private Set<String> exact = Set.of();
    private List<GoRegexp> patterns = List.of();
    private String lastError;

    public Whitelist(Optional<Path> file) {
        this.file = file;
    }

    /** True if heartbeats from this queueloc are accepted. */
    public synchronized boolean allows(String queueLoc) {
        if (file.isEmpty()) {
            return true;
        }
        if (!reload(file.get())) {
            return false;
        }
        return exact.contains(queueLoc) || patterns.stream().anyMatch(p -> p.find(queueLoc));
    }

    private boolean reload(Path path) {
        try {
            FileTime mtime = Files.getLastModifiedTime(path);
            if (mtime.equals(loadedAt)) {
                return true;
            }
            Set<String> newExact = new HashSet<>();
            List<GoRegexp> newPatterns = new ArrayList<>();
            List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.length() > 4 && line.startsWith("re:")) {
                    try {
                        newPatterns.add(GoRegexp.compile("^" + line.substring(3) + "$"));
                    } catch (GoRegexp.SyntaxException e) {
                        LOG.error(
                                "whitelist {}:{}: invalid regular expression ({}); line ignored",
                                path,
                                i + 1,
                                e.getMessage());
                    }
                } else {
                    newExact.add(line);
                }
            }
            exact = newExact;
            patterns = newPatterns;
            loadedAt = mtime;
            lastError = null;
            LOG.info("whitelist {} loaded: {} queuelocs, {} patterns", path, newExact.size(), newPatterns.size());
            return true;
        } catch (IOException e) {
            String error = e.toString();
            if (!error.equals(lastError)) {
                LOG.error("whitelist {} cannot be read ({}): legacy heartbeats are refused until it can", path, error);
                lastError = error;
            }
            loadedAt = null;
            return false;
        }
    }
}

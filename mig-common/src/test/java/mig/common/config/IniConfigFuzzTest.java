package mig.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mig.testkit.fuzz.Fuzz;
import mig.testkit.fuzz.Tally;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing of the gcfg reader (agent, API, scheduler and client configuration files, which a local
 * user or a packager writes): the shipped files and the test's migrc mutated, and random text. A try
 * parses, or fails with {@link ConfigException}; the typed getters then read every variable as a
 * boolean, an integer and a duration with the same rule.
 */
class IniConfigFuzzTest {

    private static final Tally TALLY = new Tally("IniConfig");
    private static final Pattern VARIABLE = Pattern.compile("(?m)^\\s*([A-Za-z][A-Za-z0-9-]*)\\s*(=|$)");

    static List<String> samples() {
        List<String> s = new ArrayList<>(List.of(IniConfigTest.MIGRC));
        // the configuration files shipped in conf/ (the build runs in the module's folder)
        for (String f : List.of("api.cfg", "scheduler.cfg", "mig-agent.cfg", "migrc", "acl.cfg")) {
            Path p = Path.of("..", "conf", f);
            try {
                if (Files.isRegularFile(p)) {
                    s.add(Files.readString(p));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return s;
    }

    private static final List<String> SAMPLES = samples();
    private static final Set<String> NAMES = names();

    private static Set<String> names() {
        Set<String> n = new TreeSet<>();
        for (String s : SAMPLES) {
            Matcher m = VARIABLE.matcher(s);
            while (m.find()) {
                n.add(m.group(1));
            }
        }
        return n;
    }

    @Provide
    Arbitrary<String> shipped() {
        return Arbitraries.of(SAMPLES);
    }

    @Property(tries = 1200)
    void mutatedConfigurationsParseOrAreRefused(@ForAll("shipped") String sample, @ForAll long seed) {
        String input = Fuzz.mutate(sample, new Random(seed));
        TALLY.add("mutated configuration files", Fuzz.check(input, () -> readEverything(input), ConfigException.class));
    }

    @Property(tries = 300)
    void randomTextParsesOrIsRefused(@ForAll long seed) {
        String input = Fuzz.randomText(new Random(seed), 400);
        TALLY.add("random text", Fuzz.check(input, () -> readEverything(input), ConfigException.class));
    }

    /** Parses, then reads every variable of every section with each typed getter. */
    private static Object readEverything(String text) {
        IniConfig c = IniConfig.parse(text, "fuzz.cfg");
        int refused = 0;
        for (String section : c.sections()) {
            for (String name : NAMES) {
                c.getAll(section, name);
                c.getString(section, name, "");
                try {
                    c.getBool(section, name);
                } catch (ConfigException e) {
                    refused += requireMessage(e);
                }
                try {
                    c.getLong(section, name);
                } catch (ConfigException e) {
                    refused += requireMessage(e);
                }
                try {
                    c.getDuration(section, name);
                } catch (ConfigException e) {
                    refused += requireMessage(e);
                }
            }
        }
        return refused;
    }

    private static int requireMessage(ConfigException e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new IllegalStateException("ConfigException without a message", e);
        }
        return 1;
    }

    @AfterContainer
    static void report() {
        TALLY.print();
    }
}

package mig.modules.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.ParameterException;
import mig.modules.RunContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code dpkg -l} would list as {@code ii}, read from a hand-made dpkg database; rpm; flags. */
class PkgDatabaseTest {

    private static final String STATUS = """
            Package: zlib1g
            Status: install ok installed
            Priority: required
            Architecture: amd64
            Multi-Arch: same
            Version: 1:1.2.13.dfsg-1
            Description: compression library - runtime
             zlib is a library implementing the deflate compression method found
             in gzip and PKZIP.

            Package: dpkg
            Status: install ok installed
            Architecture: amd64
            Version: 1.21.22

            Package: held
            Status: hold ok installed
            Architecture: amd64
            Version: 1.0

            Package: removed
            Status: deinstall ok config-files
            Architecture: amd64
            Version: 2.0

            Package: unpacked
            Status: install ok unpacked
            Architecture: amd64
            Version: 3.0

            Package: broken
            Status: install reinstreq installed
            Architecture: amd64
            Version: 3.1

            Package: libc6
            Status: install ok installed
            Architecture: i386
            Version: 2.36-9

            Package: adduser
            Status: install ok installed
            Architecture: all
            Multi-Arch: foreign
            Version: 3.134

            Package: Zeta
            Status: install ok installed
            Architecture: amd64
            Version: 1
            """;

    @TempDir
    Path tmp;

    private PkgModule module(String status) throws IOException {
        Path dpkg = Files.createDirectories(tmp.resolve("dpkg"));
        Files.writeString(dpkg.resolve("status"), status);
        return new PkgModule(dpkg, List.of(tmp.resolve("rpm")));
    }

    private static ModuleResult run(PkgModule m, String... args) throws ParameterException {
        return m.run(m.parseArgs(List.of(args)), RunContext.withTimeout(Duration.ofMinutes(1)));
    }

    @Test
    void listsInstalledPackagesOnlyQualifiedAndSortedAsDpkgL() throws Exception {
        PkgModule m = module(STATUS);
        assertEquals(
                List.of(
                        "pkgmatch name=Zeta version=1 type=dpkg arch=amd64",
                        "pkgmatch name=adduser version=3.134 type=dpkg arch=all",
                        "pkgmatch name=dpkg version=1.21.22 type=dpkg arch=amd64",
                        "pkgmatch name=libc6:i386 version=2.36-9 type=dpkg arch=i386",
                        "pkgmatch name=zlib1g:amd64 version=1:1.2.13.dfsg-1 type=dpkg arch=amd64"),
                m.printResults(run(m, "-name", "."), true));
    }

    @Test
    void aPackageMatchedByTwoNamesIsListedTwiceAndTheVersionFilterCanBeInverted() throws Exception {
        PkgModule m = module(STATUS);
        assertEquals(
                List.of(
                        "pkgmatch name=dpkg version=1.21.22 type=dpkg arch=amd64",
                        "pkgmatch name=dpkg version=1.21.22 type=dpkg arch=amd64"),
                m.printResults(run(m, "-name", "^dpkg", "-name", "pkg$"), true));
        assertEquals(
                List.of("pkgmatch name=adduser version=3.134 type=dpkg arch=all"),
                m.printResults(run(m, "-name", "^a|^d", "-version", "!^1\\."), true));
        assertEquals(
                List.of("pkgmatch name=dpkg version=1.21.22 type=dpkg arch=amd64"),
                m.printResults(run(m, "-name", "^a|^d", "-version", "^0", "-version", "^1\\."), true),
                "the last -version wins, as Go's StringVar");
    }

    @Test
    void theJournalOverridesTheStatusFile() throws Exception {
        PkgModule m = module(STATUS);
        Path updates = Files.createDirectories(tmp.resolve("dpkg/updates"));
        Files.writeString(
                updates.resolve("0001"),
                "Package: held\nStatus: install ok installed\n" + "Architecture: amd64\nVersion: 1.1\n");
        Files.writeString(
                updates.resolve("tmp.i"),
                "Package: unpacked\nStatus: install ok installed\n" + "Architecture: amd64\nVersion: 9\n");
        assertEquals(
                List.of("pkgmatch name=held version=1.1 type=dpkg arch=amd64"),
                m.printResults(run(m, "-name", "^held$|^unpacked$"), true));
    }

    @Test
    void noDpkgDatabaseIsAnEmptyListAsWithoutDpkg() throws Exception {
        PkgModule m = new PkgModule(tmp.resolve("none"), List.of(tmp.resolve("rpm")));
        ModuleResult r = run(m, "-name", ".");
        assertTrue(r.success());
        assertFalse(r.foundAnything());
        assertEquals("{\"packages\":[]}", GoJson.marshal(r.elements()));
        assertEquals(null, r.errors());
    }

    @Test
    void anRpmDatabaseThatIsNotReadIsSaidAndDpkgIsStillListed() throws Exception {
        PkgModule m = module(STATUS);
        Files.createDirectories(tmp.resolve("rpm"));
        Files.write(tmp.resolve("rpm/rpmdb.sqlite"), new byte[16]);
        ModuleResult r = run(m, "-name", "^dpkg$");
        assertTrue(r.foundAnything());
        assertEquals(1, r.errors().size());
        assertTrue(
                r.errors().get(0).startsWith("rpm database " + tmp.resolve("rpm/rpmdb.sqlite") + " not read"),
                r.errors().get(0));
        assertEquals(
                List.of(
                        "pkgmatch name=dpkg version=1.21.22 type=dpkg arch=amd64",
                        r.errors().get(0)),
                m.printResults(r, false).subList(0, 2));
    }

    @Test
    void flagsAreRefusedWithGosMessages() throws Exception {
        PkgModule m = module(STATUS);
        assertEquals(
                "flag provided but not defined: -bogus",
                assertThrows(ParameterException.class, () -> m.parseArgs(List.of("-name", "a", "-bogus")))
                        .getMessage());
        assertEquals(
                "flag needs an argument: -name",
                assertThrows(ParameterException.class, () -> m.parseArgs(List.of("-name")))
                        .getMessage());
        assertEquals(
                "must specify at least one package to match",
                assertThrows(ParameterException.class, () -> m.parseArgs(List.of("-version", "1")))
                        .getMessage());
        assertEquals(
                "error parsing regexp: missing closing ): `(b`",
                assertThrows(ParameterException.class, () -> m.parseArgs(List.of("-name", "a", "-version", "!(b")))
                        .getMessage());
        JsonNode p = m.parseArgs(List.of("-name", "a", "-name=b", "-version", "!x"));
        assertEquals("{\"pkgmatch\":{\"matches\":[\"a\",\"b\"]},\"vermatch\":\"!x\"}", GoJson.marshalInOrder(p));
    }
}

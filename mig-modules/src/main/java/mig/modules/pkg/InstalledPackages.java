package mig.modules.pkg;

import java.nio.file.Path;
import java.util.List;

/**
 * The installed packages as the pkg module reads them (dpkg's database, {@code dpkg -l}'s
 * {@code ii} packages in its order), for other modules: scribe's package objects read the same
 * list the original's scribe library built from {@code rpm -qa} and {@code dpkg -l}.
 */
public final class InstalledPackages {

    /** One package: name ({@code libssl3:amd64} where dpkg qualifies it), version, type, arch. */
    public record Package(String name, String version, String type, String arch) {}

    private InstalledPackages() {}

    /** dpkg's {@code ii} packages under {@code dpkgDir} ({@code /var/lib/dpkg}); empty without dpkg. */
    public static List<Package> dpkg(Path dpkgDir) {
        return new DpkgDatabase(dpkgDir)
                .installed().stream()
                        .map(p -> new Package(p.name(), p.version(), p.type(), p.arch()))
                        .toList();
    }
}

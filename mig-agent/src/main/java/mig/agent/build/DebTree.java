package mig.agent.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The folder {@code dpkg-deb --build} turns into the agent's {@code .deb}:
 *
 * <pre>
 *   DEBIAN/control, postinst, prerm, postrm
 *   usr/lib/mig-agent/                  0700
 *   usr/lib/mig-agent/mig-agent.jar     the packaged agent, trust and built-in settings inside: 0600
 *   usr/lib/mig-agent/mig-agent.classlist  the classes the agent loads, for its class-data archive
 *                                       (when the launcher has one beside it): 0644
 *   usr/sbin/mig-agent                  the launcher: JVM flags for a small, steady footprint
 *   lib/systemd/system/mig-agent.service
 *   etc/mig/                            0700, empty: for an operator's mig-agent.cfg
 *   var/lib/mig/                        run folder (agent id, spool), 0700
 *   usr/share/doc/mig-agent/BUILD       what the build trusts: name, digest, key fingerprints
 * </pre>
 * The jar holds the built-in settings, the relay URL with its password among them, so it and its
 * folder are root's only (issue 17: a 0644 jar gave every local user the relay password); so is
 * {@code /etc/mig}, and the postinst makes an existing {@code /etc/mig/mig-agent.cfg} 0600 (it may
 * hold relay and proxy passwords too). No file goes to {@code /etc/mig}: an operator's
 * {@code mig-agent.cfg} (overrides, spec §10.2) must survive upgrades untouched.
 */
final class DebTree {

    private DebTree() {}

    /**
     * Writes the tree under {@code root} (which must not exist yet).
     *
     * @param version  the agent version, e.g. {@code 0.1.0-SNAPSHOT}
     * @param summary  the {@code BUILD} text
     */
    static void write(Path root, Path jar, Path launcher, Path unit, String buildName, String version, String summary)
            throws IOException {
        if (Files.exists(root)) {
            throw new IOException("deb tree " + root + " already exists; remove it or choose another --out");
        }
        Path lib = Files.createDirectories(root.resolve("usr/lib/mig-agent"));
        mode(lib, "rwx------");
        Files.copy(jar, lib.resolve("mig-agent.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        mode(lib.resolve("mig-agent.jar"), "rw-------");
        Path classList = launcher.resolveSibling("mig-agent.classlist");
        if (Files.isRegularFile(classList)) {
            Files.copy(classList, lib.resolve("mig-agent.classlist"));
            mode(lib.resolve("mig-agent.classlist"), "rw-r--r--");
        }
        Path sbin = Files.createDirectories(root.resolve("usr/sbin"));
        Files.copy(launcher, sbin.resolve("mig-agent"));
        mode(sbin.resolve("mig-agent"), "rwxr-xr-x");
        Path systemd = Files.createDirectories(root.resolve("lib/systemd/system"));
        Files.copy(unit, systemd.resolve("mig-agent.service"));
        mode(systemd.resolve("mig-agent.service"), "rw-r--r--");
        mode(Files.createDirectories(root.resolve("etc/mig")), "rwx------");
        Path run = Files.createDirectories(root.resolve("var/lib/mig"));
        mode(run, "rwx------");
        Path doc = Files.createDirectories(root.resolve("usr/share/doc/mig-agent"));
        Files.writeString(doc.resolve("BUILD"), summary, StandardCharsets.UTF_8);
        Path debian = Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(debian.resolve("control"), control(buildName, version), StandardCharsets.UTF_8);
        script(debian.resolve("postinst"), """
                #!/bin/sh
                set -e
                # The configuration may hold relay and proxy passwords: root only, as the jar.
                if [ -f /etc/mig/mig-agent.cfg ]; then
                    chown root:root /etc/mig/mig-agent.cfg
                    chmod 0600 /etc/mig/mig-agent.cfg
                fi
                # Start (or restart, on upgrade) the agent where systemd runs; elsewhere run /usr/sbin/mig-agent -f.
                if [ -d /run/systemd/system ]; then
                    systemctl daemon-reload
                    systemctl enable mig-agent.service >/dev/null
                    systemctl restart mig-agent.service
                fi
                """);
        script(debian.resolve("prerm"), """
                #!/bin/sh
                set -e
                if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
                    systemctl disable --now mig-agent.service >/dev/null || true
                fi
                """);
        script(debian.resolve("postrm"), """
                #!/bin/sh
                set -e
                # purge forgets the agent's identity and spooled results; remove keeps them for a reinstall.
                if [ "$1" = purge ]; then
                    rm -rf /var/lib/mig
                fi
                if [ -d /run/systemd/system ]; then
                    systemctl daemon-reload || true
                fi
                """);
    }

    /** A Debian version from ours: {@code 0.1.0-SNAPSHOT} + build {@code acme} is {@code 0.1.0~SNAPSHOT+acme}. */
    static String debianVersion(String version, String buildName) {
        String v = version.replace('-', '~').replaceAll("[^A-Za-z0-9.+~]", ".");
        if (v.isEmpty() || !Character.isDigit(v.charAt(0))) {
            v = "0~" + v;
        }
        return v + "+" + buildName.replaceAll("[^A-Za-z0-9.+~]", ".");
    }

    private static String control(String buildName, String version) {
        return "Package: mig-agent\n"
                + "Version: " + debianVersion(version, buildName) + "\n"
                + "Architecture: all\n"
                + "Maintainer: MIG for Java <mig@localhost>\n"
                + "Depends: java17-runtime-headless | openjdk-17-jre-headless\n"
                + "Section: admin\n"
                + "Priority: optional\n"
                + "Description: MIG agent (build " + buildName + ")\n"
                + " Mozilla InvestiGator endpoint agent, Java edition. Runs the file, netstat and memory\n"
                + " modules for investigators whose signatures its compiled-in ACL accepts.\n";
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        mode(file, "rwxr-xr-x");
    }

    private static void mode(Path p, String mode) throws IOException {
        if (Files.getFileStore(p).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        }
    }
}

package mig.modules.pkg;

/**
 * One installed package as the original's scribe {@code PackageInfo} reported it: {@code name}
 * (dpkg's non-ambiguous name, {@code libssl3:amd64} for a Multi-Arch: same package), {@code version}
 * (with its epoch), {@code type} ({@code dpkg} or {@code rpm}) and {@code arch}.
 */
record PackageInfo(String name, String version, String type, String arch) {
}

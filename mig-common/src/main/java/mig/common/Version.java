package mig.common;

/** The build version every tool prints with {@code -V}, and agents report in heartbeats. */
public final class Version {

    /** From the jar manifest when packaged, else a development marker. */
    public static final String VERSION = resolve();

    private Version() {}

    private static String resolve() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.unversioned";
    }
}

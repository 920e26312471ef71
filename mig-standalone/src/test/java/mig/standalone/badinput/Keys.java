package mig.standalone.badinput;

import mig.bench.platform.Investigator;

/**
 * The investigators of the bad-input tests, one key each per test JVM (an RSA key costs a second):
 * eve may do everything an investigator does; the stranger is unknown to the platform; the
 * disabled one is registered but disabled; the limited one may only search.
 */
final class Keys {

    private static Investigator eve;
    private static Investigator stranger;
    private static Investigator disabled;
    private static Investigator limited;

    private Keys() {}

    static synchronized Investigator eve() {
        if (eve == null) {
            eve = Investigator.generate("eve");
        }
        return eve;
    }

    static synchronized Investigator stranger() {
        if (stranger == null) {
            stranger = Investigator.generate("stranger");
        }
        return stranger;
    }

    static synchronized Investigator disabled() {
        if (disabled == null) {
            disabled = Investigator.generate("disabled");
        }
        return disabled;
    }

    static synchronized Investigator limited() {
        if (limited == null) {
            limited = Investigator.generate("limited");
        }
        return limited;
    }
}

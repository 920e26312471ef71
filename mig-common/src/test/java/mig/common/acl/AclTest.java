package mig.common.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ACL evaluation (spec §4), with the original's two bugs fixed. */
class AclTest {

    static final String BOB = "E60892BB9BD89A69F759A1A0A3D652173B763E8F";
    static final String SAM = "FA5D79F95F7AF7097C3E83DA26A86D5E5885AC11";
    static final String SCHED = "A8E1ED58512FCD9876DBEA4FEA513B95032D9932";
    static final String ANN = "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567";

    static final Acl ACL = Acl.parse("""
            {"default": {"minimumweight": 2, "investigators": {
                "Bob": {"fingerprint": "%s", "weight": 2},
                "Sam": {"fingerprint": "%s", "weight": 1},
                "Ann": {"fingerprint": "%s", "weight": 1}}},
             "agentdestroy": {"MinimumWeight": 1, "Investigators": {
                "MIG Scheduler": {"Fingerprint": "%s", "Weight": 1}}}}
            """.formatted(BOB, SAM, ANN, SCHED));

    @Test
    void aHeavyEnoughSignerIsAllowed() {
        ACL.checkAll(List.of("file"), List.of(BOB.toLowerCase()));
    }

    @Test
    void aLightSignerIsDeniedWithTheOriginalsMessage() {
        AclException e = assertThrows(AclException.class, () -> ACL.checkAll(List.of("file"), List.of(SAM)));
        assertEquals(
                "permission denied for operation file, insufficient signatures weight (need 2, got 1)", e.getMessage());
    }

    @Test
    void twoLightSignersTogetherAreEnough() {
        ACL.checkAll(List.of("netstat"), List.of(SAM, "0000000000000000000000000000000000000000", ANN));
        // a signer known to another module's entry adds nothing here
        assertThrows(AclException.class, () -> ACL.checkAll(List.of("netstat"), List.of(SAM, SCHED)));
    }

    @Test
    void aModuleEntryOverridesDefault() {
        ACL.checkAll(List.of("agentdestroy"), List.of(SCHED));
        assertThrows(AclException.class, () -> ACL.checkAll(List.of("agentdestroy"), List.of(BOB)));
    }

    @Test
    void everyOperationIsChecked() {
        AclException e =
                assertThrows(AclException.class, () -> ACL.checkAll(List.of("file", "agentdestroy"), List.of(BOB)));
        assertTrue(e.getMessage().contains("agentdestroy"), e.getMessage());
    }

    @Test
    void theSameKeyTwiceIsAViolation() {
        AclException e =
                assertThrows(AclException.class, () -> ACL.checkAll(List.of("file"), List.of(SAM, SAM.toLowerCase())));
        assertTrue(e.getMessage().startsWith("permission violation: key"), e.getMessage());
    }

    @Test
    void aFingerprintListedTwiceInTheAclCountsOnce() {
        Acl dup = Acl.parse("""
                {"default": {"minimumweight": 2, "investigators": {
                  "Sam": {"fingerprint": "%s", "weight": 1},
                  "Sam again": {"fingerprint": "%s", "weight": 1}}}}""".formatted(SAM, SAM));
        assertThrows(AclException.class, () -> dup.checkAll(List.of("file"), List.of(SAM)));
    }

    @Test
    void theBuiltInAclAllowsNobody() {
        Acl builtIn = Acl.parse(Acl.BUILT_IN);
        assertThrows(AclException.class, () -> builtIn.checkAll(List.of("file"), List.of(BOB)));
    }

    @Test
    void missingEntryZeroWeightAndBadJsonAreClearErrors() {
        Acl noDefault = Acl.parse("{\"file\":{\"minimumweight\":1,\"investigators\":{}}}");
        assertEquals(
                "no ACL entry found for netstat, and no default present",
                assertThrows(AclException.class, () -> noDefault.checkAll(List.of("netstat"), List.of(BOB)))
                        .getMessage());
        Acl zero = Acl.parse("{\"default\":{\"minimumweight\":0}}");
        assertEquals(
                "invalid ACL default, weight must be > 0",
                assertThrows(AclException.class, () -> zero.checkAll(List.of("file"), List.of(BOB)))
                        .getMessage());
        assertTrue(assertThrows(AclException.class, () -> Acl.parse("{\"default\":"))
                .getMessage()
                .startsWith("invalid ACL"));
        assertTrue(assertThrows(AclException.class, () -> Acl.parse("{\"default\":{\"minimumweight\":\"two\"}}"))
                .getMessage()
                .startsWith("invalid ACL"));
        assertEquals(
                "no valid fingerprints found",
                assertThrows(AclException.class, () -> ACL.checkAll(List.of("file"), List.of()))
                        .getMessage());
    }
}

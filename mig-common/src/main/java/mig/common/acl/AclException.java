package mig.common.acl;

/** An ACL that cannot be read, or an action that it does not allow; the message says which. */
public final class AclException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AclException(String message) {
        super(message);
    }

    public AclException(String message, Throwable cause) {
        super(message, cause);
    }
}

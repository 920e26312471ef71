package mig.client.cli;

/** A command line that cannot be run; the message says what is wrong. Exit code 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}

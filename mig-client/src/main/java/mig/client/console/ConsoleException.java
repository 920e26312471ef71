package mig.client.console;

/** An order the console cannot carry out as typed; the message says what to type instead. */
final class ConsoleException extends Exception {
    private static final long serialVersionUID = 1L;

    ConsoleException(String message) {
        super(message);
    }
}

package mig.database.search;

/** A search query that cannot run as given; the message names the parameter and what is allowed. */
public final class SearchParameterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SearchParameterException(String message) {
        super(message);
    }
}

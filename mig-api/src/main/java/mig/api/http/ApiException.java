package mig.api.http;

import java.util.List;
import mig.api.collection.Item;

/**
 * A request the API refuses or cannot serve, with the HTTP status and the message the caller sees
 * in the Collection+JSON {@code error}. Expected failures (bad input, not found, not allowed) are
 * thrown as this and logged without a stack trace.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<Item> items;

    public ApiException(int status, String message) {
        this(status, message, List.of(), null);
    }

    public ApiException(int status, String message, Throwable cause) {
        this(status, message, List.of(), cause);
    }

    private ApiException(int status, String message, List<Item> items, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.items = List.copyOf(items);
    }

    /** 400: the request itself is wrong. */
    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /** 404: the thing asked for does not exist. */
    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /** The same error, answered together with these items (e.g. the search parameters). */
    public ApiException withItems(List<Item> extra) {
        return new ApiException(status, getMessage(), extra, getCause());
    }

    public int status() {
        return status;
    }

    public List<Item> items() {
        return items;
    }
}

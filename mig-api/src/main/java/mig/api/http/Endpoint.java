package mig.api.http;

/**
 * The code behind one route. It reads the request through {@link Call} and answers a {@link Reply};
 * refusals are {@link ApiException}s. Anything else thrown is an internal error (500), logged with
 * its stack trace.
 */
@FunctionalInterface
public interface Endpoint {
    Reply handle(Call call) throws Exception;
}

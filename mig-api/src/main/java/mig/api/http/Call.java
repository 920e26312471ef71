package mig.api.http;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mig.api.ApiConfig;
import mig.api.auth.Caller;

/**
 * One request as an endpoint sees it: the operation id, the caller, the request's location, and its
 * parameters, read strictly (unknown names, malformed encodings and oversized bodies are refused
 * with 4xx answers that say why).
 */
public final class Call {

    /** Largest form body accepted; the original's Go {@code ParseForm} stops at 10 MB too. */
    public static final int MAX_FORM_BODY = 10 << 20;
    /** Largest multipart body (investigator creation uploads one public key). */
    public static final int MAX_MULTIPART_BODY = 1 << 20;
    /**
     * A refused oversized body is read and thrown away up to this size, so the client, still sending,
     * gets the 413 instead of a reset connection; past it the connection is simply closed.
     */
    static final long MAX_DRAINED = 32L << 20;

    private final Context ctx;
    private final ApiConfig config;
    private final long opId;
    private Caller caller = Caller.NOBODY;
    private Map<String, String> query;
    private Form form;

    public Call(Context ctx, ApiConfig config, long opId) {
        this.ctx = ctx;
        this.config = config;
        this.opId = opId;
    }

    /** This request's operation id (a GenID), used as the {@code code} of any error answered. */
    public long opId() {
        return opId;
    }

    public Caller caller() {
        return caller;
    }

    public void caller(Caller who) {
        this.caller = who;
    }

    /** The request as the original names it in {@code href}s: host from the config plus the request URI. */
    public String href() {
        return config.host() + requestUri();
    }

    /** Path and raw query, as received. */
    public String requestUri() {
        String q = ctx.req().getQueryString();
        return ctx.req().getRequestURI() + (q == null || q.isEmpty() ? "" : "?" + q);
    }

    /** {@code host + baseroute}, the prefix of every item href. */
    public String baseUrl() {
        return config.host() + config.baseRoute();
    }

    /** A path parameter of the route, e.g. {@code pgp_fingerprint}. */
    public String pathParam(String name) {
        return ctx.pathParam(name);
    }

    /** The caller's public IP as configured by {@code [server] clientpublicip}, or 0.0.0.0 when unknown. */
    public String clientIp() {
        return config.clientPublicIp().resolve(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"));
    }

    /** A request header, if sent. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(ctx.header(name));
    }

    /** The decoded query parameters (each at most once). */
    public Map<String, String> query() {
        if (query == null) {
            query = UrlEncoded.parse(ctx.req().getQueryString(), "query string");
        }
        return query;
    }

    /** A query parameter that must be present. */
    public String requireQuery(String name) {
        String v = query().get(name);
        if (v == null) {
            throw ApiException.badRequest("missing query parameter '" + name + "'");
        }
        return v;
    }

    /** Refuses query parameters other than {@code allowed}. */
    public void checkQuery(List<String> allowed) {
        for (String name : query().keySet()) {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown query parameter '" + Text.shorten(name) + "'"
                        + (allowed.isEmpty()
                                ? "; this endpoint takes none"
                                : "; this endpoint takes " + String.join(", ", allowed)));
            }
        }
    }

    /**
     * The posted form, urlencoded or multipart, checked against the field names this endpoint takes.
     *
     * @throws ApiException 400 for another content type, malformed encoding or unknown fields; 413 when
     *                      the body is too large
     */
    public Form form(Set<String> allowedFields) {
        return form(allowedFields, MAX_FORM_BODY);
    }

    /** {@link #form(Set)} with a urlencoded body of at most {@code maxBody} bytes (manifest uploads). */
    public Form form(Set<String> allowedFields, int maxBody) {
        if (form == null) {
            form = readForm(maxBody);
        }
        for (String name : form.names()) {
            if (!allowedFields.contains(name)) {
                throw ApiException.badRequest("unknown form field '" + Text.shorten(name) + "'; this endpoint takes "
                        + String.join(", ", allowedFields.stream().sorted().toList()));
            }
        }
        return form;
    }

    private Form readForm(int maxBody) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            String text = new String(body(maxBody), StandardCharsets.UTF_8);
            return new Form(UrlEncoded.parse(text, "form body"), Map.of());
        }
        if (type.startsWith("multipart/form-data")) {
            return readMultipart();
        }
        throw ApiException.badRequest("expected a form (Content-Type application/x-www-form-urlencoded or "
                + "multipart/form-data), got " + (type.isEmpty() ? "no Content-Type" : "'" + Text.shorten(type) + "'"));
    }

    private Form readMultipart() {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_MULTIPART_BODY) {
            throw tooLarge(declared, MAX_MULTIPART_BODY);
        }
        try {
            Map<String, String> fields = new LinkedHashMap<>();
            for (var e : ctx.formParamMap().entrySet()) {
                if (e.getValue().size() > 1) {
                    throw ApiException.badRequest(
                            "form field '" + Text.shorten(e.getKey()) + "' appears more than once");
                }
                fields.put(
                        e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
            }
            Map<String, Form.Upload> files = new LinkedHashMap<>();
            for (var e : ctx.uploadedFileMap().entrySet()) {
                if (e.getValue().size() > 1) {
                    throw ApiException.badRequest("file '" + Text.shorten(e.getKey()) + "' uploaded more than once");
                }
                UploadedFile f = e.getValue().get(0);
                byte[] content;
                try (InputStream in = f.content()) {
                    content = in.readNBytes(MAX_MULTIPART_BODY + 1);
                }
                if (content.length > MAX_MULTIPART_BODY) {
                    throw tooLarge(content.length, MAX_MULTIPART_BODY);
                }
                files.put(e.getKey(), new Form.Upload(f.filename(), content));
                fields.remove(e.getKey());
            }
            return new Form(fields, files);
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) { // Javalin rethrows the servlet's checked exceptions unchecked

            String why = rootMessage(e);
            if (why.toLowerCase(Locale.ROOT).contains("exceed")
                    || why.toLowerCase(Locale.ROOT).contains("too large")) {
                if (!drain()) {
                    ctx.header("Connection", "close");
                }
                throw new ApiException(
                        413,
                        "multipart body too large: at most " + MAX_MULTIPART_BODY + " bytes are accepted (" + why + ")",
                        e);
            }
            throw new ApiException(400, "malformed multipart/form-data body: " + why, e);
        }
    }

    /**
     * The raw body, at most {@code limit} bytes.
     *
     * @throws ApiException 413 when larger, 400 when it cannot be read
     */
    public byte[] body(int limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(declared, limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] data = in.readNBytes(limit + 1);
            if (data.length > limit) {
                throw tooLarge(-1, limit);
            }
            return data;
        } catch (IOException e) {
            throw new ApiException(400, "cannot read the request body: " + e.getMessage(), e);
        }
    }

    private ApiException tooLarge(long size, int limit) {
        if (!drain()) {
            ctx.header("Connection", "close");
        }
        return new ApiException(
                413,
                "request body too large: " + (size >= 0 ? size + " bytes, " : "") + "at most " + limit
                        + " bytes are accepted");
    }

    /** Reads what is left of the body, up to {@link #MAX_DRAINED}; false if more was left. */
    private boolean drain() {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
                if (total > MAX_DRAINED) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // the client gave up; the 413 may not reach it
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return String.valueOf(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
    }
}

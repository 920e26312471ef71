package mig.database.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What a {@code GET /search} asks for: MIG's {@code search.Parameters}, field for field and in the
 * original's (alphabetical) field order, because the API echoes it back as the {@code search
 * parameters} item. "Any" is written as the original writes it: {@code "∞"} for ids and {@code "%"}
 * for name patterns (string filters are SQL {@code ILIKE} patterns).
 *
 * <p>Build one with {@link SearchRequest#parse}; {@link #defaults} gives the original's defaults.
 */
public record SearchParameters(
        @JsonProperty("actionid") String actionId,
        @JsonProperty("actionname") String actionName,
        @JsonProperty("after") Instant after,
        @JsonProperty("agentid") String agentId,
        @JsonProperty("agentname") String agentName,
        @JsonProperty("agentversion") String agentVersion,
        @JsonProperty("before") Instant before,
        @JsonProperty("commandid") String commandId,
        @JsonProperty("foundanything") boolean foundAnything,
        @JsonProperty("investigatorid") String investigatorId,
        @JsonProperty("investigatorname") String investigatorName,
        @JsonProperty("limit") long limit,
        @JsonProperty("loaderid") String loaderId,
        @JsonProperty("loadername") String loaderName,
        @JsonProperty("manifestid") String manifestId,
        @JsonProperty("manifestname") String manifestName,
        @JsonProperty("offset") long offset,
        @JsonProperty("report") String report,
        @JsonProperty("status") String status,
        @JsonProperty("target") String target,
        @JsonProperty("threatfamily") String threatFamily,
        @JsonProperty("type") String type) {

    /** An id filter that matches every id. */
    public static final String ANY_ID = "∞";
    /** A name filter that matches every name. */
    public static final String ANY = "%";
    /** Without {@code after}/{@code before}, searches cover this long before and after now (4.5 years). */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(39600);
    /** Results per page when the caller does not say. */
    public static final long DEFAULT_LIMIT = 100;

    private static final DateTimeFormatter RFC3339_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    public SearchParameters {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(type, "type");
        report = Objects.requireNonNullElse(report, "");
        target = Objects.requireNonNullElse(target, "");
    }

    /** The original's defaults: type action, everything matches, 100 results, now +/- the window. */
    public static SearchParameters defaults(Instant now) {
        return new SearchParameters(
                ANY_ID,
                ANY,
                now.minus(DEFAULT_WINDOW),
                ANY_ID,
                ANY,
                ANY,
                now.plus(DEFAULT_WINDOW),
                ANY_ID,
                false,
                ANY_ID,
                ANY,
                DEFAULT_LIMIT,
                ANY_ID,
                ANY,
                ANY_ID,
                ANY,
                0,
                "",
                ANY,
                "",
                ANY,
                "action");
    }

    /** The same search one page further ({@code offset + limit}). */
    public SearchParameters nextPage() {
        return new SearchParameters(
                actionId,
                actionName,
                after,
                agentId,
                agentName,
                agentVersion,
                before,
                commandId,
                foundAnything,
                investigatorId,
                investigatorName,
                limit,
                loaderId,
                loaderName,
                manifestId,
                manifestName,
                offset + limit,
                report,
                status,
                target,
                threatFamily,
                type);
    }

    /**
     * The query string of this search as the original builds it ({@code Parameters.String()}), for
     * the {@code next} link of the pagination item: only non-default filters, times to the second,
     * and {@code %}, {@code *} and {@code +} all written as {@code %25} (the original's wildcard
     * convention; other characters are not escaped, as in the original).
     */
    public String toQueryString() {
        StringBuilder q = new StringBuilder("type=")
                .append(type)
                .append("&after=")
                .append(RFC3339_SECONDS.format(after.truncatedTo(ChronoUnit.SECONDS)))
                .append("&before=")
                .append(RFC3339_SECONDS.format(before.truncatedTo(ChronoUnit.SECONDS)));
        appendIf(q, "actionid", actionId, ANY_ID);
        appendIf(q, "actionname", actionName, ANY);
        appendIf(q, "agentid", agentId, ANY_ID);
        appendIf(q, "agentname", agentName, ANY);
        appendIf(q, "agentversion", agentVersion, ANY);
        appendIf(q, "commandid", commandId, ANY_ID);
        appendIf(q, "investigatorid", investigatorId, ANY_ID);
        appendIf(q, "investigatorname", investigatorName, ANY);
        appendIf(q, "loaderid", loaderId, ANY_ID);
        appendIf(q, "loadername", loaderName, ANY);
        appendIf(q, "manifestname", manifestName, ANY);
        appendIf(q, "manifestid", manifestId, ANY_ID);
        q.append("&limit=").append(limit);
        if (offset != 0) {
            q.append("&offset=").append(offset);
        }
        appendIf(q, "status", status, ANY);
        appendIf(q, "threatfamily", threatFamily, ANY);
        return q.toString().replace("%", "%25").replace("*", "%25").replace("+", "%25");
    }

    private static void appendIf(StringBuilder q, String name, String value, String any) {
        if (!value.equals(any)) {
            q.append('&').append(name).append('=').append(value);
        }
    }
}

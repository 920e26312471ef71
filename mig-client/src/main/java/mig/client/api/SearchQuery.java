package mig.client.api;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The console's search language, {@code <key>=<value> [and <key>=<value>...]}, turned into the
 * query string of {@code GET /search} exactly as the original's {@code search.Parameters.String()}
 * writes it (same parameter order, {@code %}, {@code *} and {@code +} sent as the SQL wildcard
 * {@code %25}). Used by {@code mig-console}'s {@code search} and {@code mig-agent-search -p}.
 */
public final class SearchQuery {
    /** The original's default window: 39600 hours (about 4.5 years) either side of now. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(39600);

    /** Every key the console understands, in the original's order. */
    public static final List<String> KEYS = List.of(
            "actionname",
            "actionid",
            "after",
            "agentid",
            "agentname",
            "agentversion",
            "before",
            "commandid",
            "investigatorid",
            "investigatorname",
            "limit",
            "loadername",
            "loaderid",
            "manifestname",
            "manifestid",
            "status",
            "name");

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    private static final List<String> ORDER = List.of(
            "actionid",
            "actionname",
            "agentid",
            "agentname",
            "agentversion",
            "commandid",
            "investigatorid",
            "investigatorname",
            "loaderid",
            "loadername",
            "manifestname",
            "manifestid");

    private final String type;
    private Instant after;
    private Instant before;
    private long limit = 100;
    private final Map<String, String> values = new LinkedHashMap<>();

    private SearchQuery(String type, Instant now) {
        this.type = type;
        Instant t = now.truncatedTo(ChronoUnit.SECONDS);
        this.after = t.minus(DEFAULT_WINDOW);
        this.before = t.plus(DEFAULT_WINDOW);
    }

    /**
     * Reads the terms after {@code where} (the word {@code and} between them is skipped).
     *
     * @param allowed the keys this tool accepts (all of {@link #KEYS} for the console)
     * @throws IllegalArgumentException with the original's message for a malformed term
     */
    public static SearchQuery parse(String type, List<String> terms, Set<String> allowed, Instant now) {
        SearchQuery q = new SearchQuery(type, now);
        for (String term : terms) {
            if (term.equals("and")) {
                continue;
            }
            String[] kv = term.split("=", -1);
            if (kv.length != 2) {
                throw new IllegalArgumentException("Invalid `key=value` in search parameter '" + term + "'");
            }
            String key = kv[0];
            String value = kv[1];
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("Unknown search key '" + key + "'");
            }
            switch (key) {
                case "after" -> q.after = time("after", value);
                case "before" -> q.before = time("before", value);
                case "limit" -> {
                    try {
                        q.limit = (long) Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("invalid limit parameter '" + value + "'");
                    }
                }
                case "status" -> q.values.put("status", value);
                case "name" -> {
                    switch (type) {
                        case "action", "command" -> q.values.put("actionname", value);
                        case "agent" -> q.values.put("agentname", value);
                        case "investigator" -> q.values.put("investigatorname", value);
                        case "loader" -> q.values.put("loadername", value);
                        case "manifest" -> q.values.put("manifestname", value);
                        default -> {}
                    }
                }
                default -> q.values.put(key, value);
            }
        }
        return q;
    }

    private static Instant time(String key, String value) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " date not in RFC3339 format, ex: 2015-09-23T14:14:16Z");
        }
    }

    public String type() {
        return type;
    }

    public Instant after() {
        return after;
    }

    public Instant before() {
        return before;
    }

    public long limit() {
        return limit;
    }

    /** RFC 3339 in UTC, as Go's {@code Format(time.RFC3339)} of a UTC time. */
    public static String rfc3339(Instant t) {
        return RFC3339.format(t.atOffset(ZoneOffset.UTC));
    }

    /** The query string (without {@code search?}), in the original's parameter order. */
    public String toQueryString() {
        StringBuilder q = new StringBuilder("type=" + type + "&after=" + rfc3339(after) + "&before=" + rfc3339(before));
        for (String k : ORDER) {
            String v = values.get(k);
            if (v != null) {
                q.append('&').append(k).append('=').append(v);
            }
        }
        q.append("&limit=").append(limit);
        if (values.containsKey("status")) {
            q.append("&status=").append(values.get("status"));
        }
        return q.toString()
                .replace("%", "%25")
                .replace("*", "%25")
                .replace("+", "%25")
                .replace("#", "%23")
                .replace(" ", "%20");
    }
}

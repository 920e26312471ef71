package mig.database.search;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code GET /search} query: the {@link SearchParameters} plus whether {@code foundanything}
 * was given (the original only filters commands on it when it was).
 *
 * <p>Parsing is stricter than the original's, which ignored unknown parameters and answered a bad
 * number with a 500: here every problem is a {@link SearchParameterException} that names the
 * parameter, the value and what is allowed.
 */
public record SearchRequest(SearchParameters parameters, boolean filterFoundAnything) {

    /** The search types, in the order the original's documentation lists them. */
    public static final List<String> TYPES =
            List.of("action", "agent", "command", "investigator", "loader", "manifest");

    /** Every query parameter {@code /search} understands. */
    public static final List<String> PARAMETERS = List.of(
            "actionid",
            "actionname",
            "after",
            "agentid",
            "agentname",
            "agentversion",
            "before",
            "commandid",
            "foundanything",
            "investigatorid",
            "investigatorname",
            "limit",
            "loaderid",
            "loadername",
            "manifestid",
            "manifestname",
            "offset",
            "status",
            "target",
            "threatfamily",
            "type");

    /**
     * Reads search parameters from a decoded query string (each parameter once).
     *
     * @param now the clock reading the default {@code after}/{@code before} window is centred on
     * @throws SearchParameterException for an unknown parameter or a value that does not parse
     */
    public static SearchRequest parse(Map<String, String> query, Instant now) {
        SearchParameters d = SearchParameters.defaults(now);
        String actionId = d.actionId();
        String actionName = d.actionName();
        Instant after = d.after();
        String agentId = d.agentId();
        String agentName = d.agentName();
        String agentVersion = d.agentVersion();
        Instant before = d.before();
        String commandId = d.commandId();
        boolean foundAnything = false;
        boolean filterFound = false;
        String investigatorId = d.investigatorId();
        String investigatorName = d.investigatorName();
        long limit = d.limit();
        String loaderId = d.loaderId();
        String loaderName = d.loaderName();
        String manifestId = d.manifestId();
        String manifestName = d.manifestName();
        long offset = d.offset();
        String status = d.status();
        String target = d.target();
        String threatFamily = d.threatFamily();
        String type = d.type();
        for (Map.Entry<String, String> e : query.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "actionid" -> actionId = id("actionid", v);
                case "actionname" -> actionName = v;
                case "after" -> after = time("after", v);
                case "agentid" -> agentId = id("agentid", v);
                case "agentname" -> agentName = v;
                case "agentversion" -> agentVersion = v;
                case "before" -> before = time("before", v);
                case "commandid" -> commandId = id("commandid", v);
                case "foundanything" -> {
                    foundAnything = bool("foundanything", v);
                    filterFound = true;
                }
                case "investigatorid" -> investigatorId = id("investigatorid", v);
                case "investigatorname" -> investigatorName = v;
                case "limit" -> limit = count("limit", v);
                case "loaderid" -> loaderId = id("loaderid", v);
                case "loadername" -> loaderName = v;
                case "manifestid" -> manifestId = id("manifestid", v);
                case "manifestname" -> manifestName = v;
                case "offset" -> offset = count("offset", v);
                case "status" -> status = v;
                case "target" -> target = v;
                case "threatfamily" -> threatFamily = v;
                case "type" -> type = v;
                default ->
                    throw new SearchParameterException("unknown search parameter '" + e.getKey()
                            + "'; known parameters: " + String.join(", ", PARAMETERS));
            }
        }
        if (!TYPES.contains(type)) {
            throw new SearchParameterException(
                    "search type is invalid: '" + type + "'; use one of " + String.join(", ", TYPES));
        }
        if (!target.isEmpty() && !type.equals("agent")) {
            throw new SearchParameterException("the target parameter only applies to type=agent, not type=" + type);
        }
        return new SearchRequest(
                new SearchParameters(
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
                        offset,
                        "",
                        status,
                        target,
                        threatFamily,
                        type),
                filterFound);
    }

    /** Ids are numbers (the original parses them as float64); the text is kept as given. */
    private static String id(String name, String value) {
        idValue(name, value);
        return value;
    }

    /** The numeric value of an id filter. */
    static java.math.BigDecimal idValue(String name, String value) {
        try {
            double d = Double.parseDouble(value.strip());
            if (Double.isFinite(d)) {
                return java.math.BigDecimal.valueOf(d);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SearchParameterException(name + " must be a number, got '" + shorten(value) + "'");
    }

    private static Instant time(String name, String value) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new SearchParameterException(name + " date not in RFC3339 format: '" + shorten(value)
                    + "' (expected e.g. 2017-02-10T14:15:31Z)");
        }
    }

    private static boolean bool(String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new SearchParameterException(
                        name + " parameter must be true or false, got '" + shorten(value) + "'");
        };
    }

    private static long count(String name, String value) {
        try {
            double d = Double.parseDouble(value.strip());
            if (d >= 0 && d <= Integer.MAX_VALUE && d == Math.rint(d)) {
                return (long) d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SearchParameterException("invalid " + name + " parameter '" + shorten(value)
                + "': must be a whole number from 0 to " + Integer.MAX_VALUE);
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}

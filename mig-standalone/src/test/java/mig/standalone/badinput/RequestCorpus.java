package mig.standalone.badinput;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import mig.bench.platform.Investigator;
import mig.common.json.GoJson;
import mig.common.pgp.AuthToken;

/**
 * Generated malformed requests around the action: bad, expired, replayed and misdirected tokens
 * on a valid signed action (a token wrongly accepted would store it), bad form encodings and
 * content types, oversized bodies, headers and URLs, deeply nested JSON, and bad routes and
 * parameters of the read endpoints.
 */
final class RequestCorpus {

    private static final String CREATE = "/api/v1/action/create/";
    private final Investigator eve;
    private final Investigator stranger;
    private final Investigator disabled;
    private final Investigator limited;

    RequestCorpus(Investigator eve, Investigator stranger, Investigator disabled, Investigator limited) {
        this.eve = eve;
        this.stranger = stranger;
        this.disabled = disabled;
        this.limited = limited;
    }

    List<BadRequest> all() {
        List<BadRequest> out = new ArrayList<>();
        String valid = GoJson.marshal(eve.sign(ActionCorpus.draft("token corpus")));
        tokens(valid, out);
        forms(valid, out);
        huge(valid, out);
        routes(out);
        return out;
    }

    private void tokens(String valid, List<BadRequest> out) {
        String family = "token bad, expired, replayed or not allowed";
        String good = eve.token();
        String[] parts = good.split(";", 4);
        Instant now = Instant.now();
        String old = AuthToken.make(
                eve.key().secretKey(), Clock.fixed(now.minus(Duration.ofMinutes(11)), java.time.ZoneOffset.UTC));
        String early = AuthToken.make(
                eve.key().secretKey(), Clock.fixed(now.plus(Duration.ofMinutes(11)), java.time.ZoneOffset.UTC));
        String nextSecond = Instant.parse(parts[1]).plusSeconds(1).toString();
        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        tokens.put("no token", null);
        tokens.put("a blank token", " ");
        tokens.put("garbage", "garbage");
        tokens.put("empty fields", ";;;");
        tokens.put("three fields", parts[0] + ";" + parts[1] + ";" + parts[2]);
        tokens.put("five fields", good + ";extra");
        tokens.put("version 2", "2;" + parts[1] + ";" + parts[2] + ";" + parts[3]);
        tokens.put("timestamp in words", "1;yesterday;" + parts[2] + ";" + parts[3]);
        tokens.put(
                "timestamp with milliseconds", "1;" + parts[1].replace("Z", ".123Z") + ";" + parts[2] + ";" + parts[3]);
        tokens.put("replayed 11 minutes later (outside the 10 minute window)", old);
        tokens.put("dated 11 minutes ahead", early);
        tokens.put("nonce changed", parts[0] + ";" + parts[1] + ";" + (parts[2] + "1") + ";" + parts[3]);
        tokens.put("timestamp moved by a second", parts[0] + ";" + nextSecond + ";" + parts[2] + ";" + parts[3]);
        tokens.put(
                "signature cut in half",
                parts[0] + ";" + parts[1] + ";" + parts[2] + ";" + parts[3].substring(0, parts[3].length() / 2));
        tokens.put("signature not base64", parts[0] + ";" + parts[1] + ";" + parts[2] + ";%%%***");
        tokens.put("signed by a key unknown to the API", stranger.token());
        tokens.put("signed by a disabled investigator", disabled.token());
        tokens.put("an investigator without the action creation permission", limited.token());
        tokens.put("64 kB of token", "1;" + "9".repeat(64 * 1024));
        for (var e : tokens.entrySet()) {
            out.add(BadRequest.post(
                    family,
                    e.getKey(),
                    CREATE,
                    BadRequest.FORM,
                    e.getValue(),
                    ("action=" + BadRequest.enc(valid)).getBytes(StandardCharsets.UTF_8),
                    0));
        }
        out.add(new BadRequest(
                family,
                "API key of random characters",
                "POST",
                CREATE,
                Map.of("Content-Type", BadRequest.FORM, "X-MIGAPIKEY", "not-a-key"),
                ("action=" + BadRequest.enc(valid)).getBytes(StandardCharsets.UTF_8),
                401));
        out.add(new BadRequest(
                family,
                "API key of 5000 characters",
                "GET",
                "/api/v1/dashboard",
                Map.of("X-MIGAPIKEY", "k".repeat(5000)),
                null,
                401));
    }

    private void forms(String valid, List<BadRequest> out) {
        String family = "bad form encoding or content type";
        String token = eve.token();
        String[][] bodies = {
            {"bad escape %zz", "action=%zz"}, {"escape cut short", "action=%"}, {"escape of one digit", "action=%f"},
            {"invalid UTF-8", "action=%ff%fe"}, {"a name without value", "action"}, {"an empty name", "=x"},
            {"only separators", "&&&"}, {"the field twice", "action=1&action=2"}, {"an empty action", "action="},
            {"an unknown field only", "x=1"}, {"a NUL byte", "action=%00"}, {"semicolon separators", "action=1;x=2"},
        };
        for (String[] b : bodies) {
            out.add(BadRequest.post(
                    family, b[0], CREATE, BadRequest.FORM, token, b[1].getBytes(StandardCharsets.UTF_8), 400));
        }
        byte[] validForm = ("action=" + BadRequest.enc(valid)).getBytes(StandardCharsets.UTF_8);
        String[][] types = {
            {"text/plain", "the valid action as text/plain"},
            {"application/json", "the valid action as JSON type"},
            {"multipart/form-data", "multipart without boundary"},
            {"multipart/form-data; boundary=zzz", "multipart that is not multipart"},
        };
        for (String[] t : types) {
            out.add(BadRequest.post(family, t[1], CREATE, t[0], token, validForm, 400));
        }
        out.add(BadRequest.post(family, "no content type", CREATE, null, token, validForm, 400));
        out.add(BadRequest.post(
                family,
                "the raw JSON action as body",
                CREATE,
                "application/json",
                token,
                valid.getBytes(StandardCharsets.UTF_8),
                400));
    }

    private void huge(String valid, List<BadRequest> out) {
        String family = "huge or deeply nested";
        String token = eve.token();
        byte[] tenMegs = new byte[(10 << 20) + 1];
        Arrays.fill(tenMegs, (byte) 'a');
        out.add(BadRequest.post(family, "a form body over 10 MB", CREATE, BadRequest.FORM, token, tenMegs, 413));
        String bigName = valid.replaceFirst("\"name\":\"[^\"]*\"", "\"name\":\"" + "n".repeat(5 << 20) + "\"");
        out.add(BadRequest.action(family, "an action named with 5 MB", bigName, token, 400));
        out.add(BadRequest.action(family, "50,000 nested arrays", "[".repeat(50_000), token, 400));
        out.add(BadRequest.action(family, "50,000 nested objects", "{\"a\":".repeat(50_000), token, 400));
        String manyOps = valid.replaceFirst(
                "\"operations\":\\[",
                "\"operations\":[" + "{\"module\":\"fleetecho\",\"parameters\":{}},".repeat(20_000));
        out.add(BadRequest.action(family, "20,000 operations after signing", manyOps, token, 400));
        String bigNumber = valid.replaceFirst("\"syntaxversion\":2", "\"syntaxversion\":" + "9".repeat(100_000));
        out.add(BadRequest.action(family, "a number of 100,000 digits", bigNumber, token, 400));
        out.add(new BadRequest(
                family,
                "a header of 100 kB",
                "GET",
                "/api/v1/dashboard",
                Map.of("X-PGPAUTHORIZATION", token, "X-Padding", "p".repeat(100 * 1024)),
                null,
                0));
        out.add(BadRequest.get(
                family, "a URL of 100 kB", "/api/v1/action?actionid=" + "1".repeat(100 * 1024), token, 0));
        out.add(new BadRequest(
                family,
                "a heartbeat over 100 kB",
                "POST",
                "/api/v1/heartbeat",
                Map.of("Content-Type", "application/json"),
                ("{\"name\":\"" + "n".repeat(100 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8),
                413));
    }

    private void routes(List<BadRequest> out) {
        String family = "bad route or parameter";
        String token = eve.token();
        String[][] gets = {
            {"action id not a number", "/api/v1/action?actionid=abc"},
            {"action id 1e999", "/api/v1/action?actionid=1e999"},
            {"action id negative", "/api/v1/action?actionid=-1"},
            {"action id missing", "/api/v1/action"},
            {"bad escape in the query", "/api/v1/action?actionid=%zz"},
            {"unknown parameter", "/api/v1/action?actionid=1&debug=1"},
            {"command id of letters", "/api/v1/command?commandid=x"},
            {"agent id empty", "/api/v1/agent?agentid="},
            {"investigator id of 400 digits", "/api/v1/investigator?investigatorid=" + "9".repeat(400)},
            {
                "search target with a second statement",
                "/api/v1/search?type=agent&target=" + BadRequest.enc("1=1; DROP TABLE agents")
            },
            {"search type unknown", "/api/v1/search?type=investigators"},
            {"search date in words", "/api/v1/search?type=action&before=tomorrow"},
            {"search limit negative", "/api/v1/search?type=action&limit=-1"},
            {"wait timeout too long", "/api/v1/action/wait?actionid=1&timeout=3600"},
            {"unknown route", "/api/v1/nothing-here"},
            {"path climbing out", "/api/v1/../../../etc/passwd"},
        };
        for (String[] g : gets) {
            out.add(BadRequest.get(family, g[0], g[1], token, 0));
        }
        // Dot segments escaped as %2e reach the router decoded, where the original's ServeMux cleans
        // them into a 301 to the clean path on the same server ("/etc/passwd", which is then a 404):
        // nothing is served from outside the routes, and the redirect is the original's wire behaviour.
        out.add(BadRequest.get(family, "encoded path climbing out", "/api/v1/%2e%2e/%2e%2e/etc/passwd", token, 301));
        for (String method : new String[] {"PUT", "DELETE", "PATCH", "TRACE", "BREW"}) {
            out.add(new BadRequest(
                    family,
                    method + " on an action",
                    method,
                    "/api/v1/action?actionid=1",
                    Map.of("X-PGPAUTHORIZATION", token),
                    null,
                    0));
        }
    }
}

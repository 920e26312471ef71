package mig.client.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import mig.client.api.ApiException;
import mig.client.api.MigApiClient;
import mig.common.json.GoJson;
import mig.common.manifest.ManifestContent;
import mig.common.manifest.ManifestEntry;
import mig.common.manifest.ManifestException;
import mig.common.manifest.ManifestResponse;

/**
 * {@code manifest <id>}: the original console's manifest reader, with its orders {@code disable},
 * {@code entry}, {@code json}, {@code loaders}, {@code r}, {@code reset}, {@code shasum} and
 * {@code sign}. Unlike the original built with a recent Go (docs/loader.md), {@code entry},
 * {@code shasum} and {@code sign} hash each file whole, so the signature is one the API and
 * mig-loader accept.
 */
final class ManifestReader {
    static final List<String> ORDERS =
            List.of("disable", "entry", "exit", "help", "json", "loaders", "r", "reset", "shasum", "sign");

    private final Console c;
    private final long id;
    private JsonNode m;

    ManifestReader(Console console, long id) {
        this.c = console;
        this.id = id;
    }

    void run() throws ApiException {
        reload();
        c.out.println(c.plain(Text.enterMode("manifest reader")));
        c.out.printf(
                "Manifest: '%s'.%nStatus '%s'.%n",
                m.path("name").asText(), m.path("status").asText());
        c.mode(
                "\u001b[31;1mmanifest " + (id % 1000) + ">\u001b[0m ",
                (w, i) -> i == 0 ? ORDERS : List.of(),
                this::order);
        c.out.println();
    }

    private void reload() throws ApiException {
        List<JsonNode> v = MigApiClient.values(c.ctx.api().get("manifest?manifestid=" + id), "manifest");
        if (v.isEmpty()) {
            throw new ApiException("the API answered no manifest " + id, 0, null);
        }
        m = v.get(0);
    }

    private List<ManifestEntry> entries() throws ConsoleException {
        try {
            return ManifestContent.entries(m.path("content").asText());
        } catch (ManifestException e) {
            throw new ConsoleException("error: " + e.getMessage());
        }
    }

    private boolean order(List<String> w, String input) throws Exception {
        switch (w.get(0)) {
            case "disable" -> {
                status("disabled");
                c.out.println("Manifest record has been disabled");
            }
            case "entry" ->
                c.out.println(GoJson.indent(GoJson.marshal(new ManifestResponse("", entries(), null)), "  "));
            case "exit" -> {
                c.out.println("exit");
                return false;
            }
            case "help" -> c.out.print(HELP);
            case "json" -> {
                Map<String, Object> shown = GoJson.unmarshal(GoJson.marshal(m), Map.class);
                shown.put("content", m.path("content").asText().isEmpty() ? "None" : "...");
                c.out.println(GoJson.indent(GoJson.marshal(shown), "  "));
            }
            case "loaders" -> {
                for (JsonNode l :
                        MigApiClient.values(c.ctx.api().get("manifest/loaders/?manifestid=" + id), "loader")) {
                    c.out.println(GoJson.marshal(l));
                }
            }
            case "r" -> {
                reload();
                c.out.println("reloaded");
            }
            case "reset" -> {
                status("staged");
                c.out.println("Manifest record has been reset");
            }
            case "shasum" ->
                entries().stream()
                        .sorted(Comparator.comparing(ManifestEntry::name))
                        .forEach(e -> c.out.println(e.sha256() + "  " + e.name()));
            case "sign" -> {
                byte[] signed = new ManifestResponse("", entries(), List.of()).signedBytes();
                String sig = c.ctx.signer().sign(signed);
                c.ctx.api().postForm("manifest/sign/", Map.of("manifestid", Long.toString(id), "signature", sig), 200);
                c.out.println("Manifest signature has been accepted");
            }
            default -> c.refuse("Unknown order '" + w.get(0) + "'. You are in manifest reader mode. Try `help`.");
        }
        return true;
    }

    private void status(String status) throws ApiException {
        c.ctx.api().postForm("manifest/status/", Map.of("manifestid", Long.toString(id), "status", status), 200);
    }

    static final String HELP = """
            The following orders are available:
            disable         disables manifest and prevents future use

            entry           show the manifest for this record as would be sent to a loader

            help            show this help

            exit            exit this mode (also works with ctrl+d)

            json            show json of manifest record stored in database

            loaders         show known loader entries that will match this manifest

            r               refresh the manifest (get latest version from database)

            reset           reset manifest status (marks manifest as staged, removes signatures)

            shasum          output sha sums of manifest objects in sha256sum style format

            sign            add a signature to the manifest record
            """;
}

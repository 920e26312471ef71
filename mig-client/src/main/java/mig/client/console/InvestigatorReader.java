package mig.client.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import mig.client.api.ApiException;
import mig.client.api.MigApiClient;
import mig.common.Action;
import mig.common.Investigator;
import mig.common.InvestigatorPerms;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.common.pgp.Keyring;
import mig.common.pgp.PgpException;

/**
 * {@code investigator <id>}: details, public key, last actions, and the administrator's changes:
 * status, permission sets (Default always, plus PermAdmin, PermLoader, PermManifest) and API key.
 */
final class InvestigatorReader {
    static final List<String> ORDERS = List.of(
            "apikey",
            "details",
            "exit",
            "help",
            "pubkey",
            "r",
            "lastactions",
            "setperms",
            "setstatus",
            "showperms",
            "PermManifest",
            "PermLoader",
            "PermAdmin");
    static final List<String> PERM_SETS = List.of("PermManifest", "PermLoader", "PermAdmin");

    private final Console c;
    private final long id;
    private Investigator inv;

    InvestigatorReader(Console console, long id) {
        this.c = console;
        this.id = id;
    }

    void run() throws ApiException {
        inv = c.ctx.api().getInvestigator(id);
        c.seen.saw("investigator", id);
        c.out.println(c.plain(Text.enterMode("investigator")));
        c.out.printf("Investigator %d named '%s'%n", inv.id(), inv.name());
        Completions completions = (w, i) -> i == 0
                ? ORDERS
                : switch (w.get(0)) {
                    case "setperms" -> PERM_SETS;
                    case "setstatus", "apikey" -> List.of("active", "disabled");
                    default -> List.of();
                };
        c.mode("\u001b[35;1minv " + id + ">\u001b[0m ", completions, this::order);
        c.out.println();
    }

    private boolean order(List<String> w, String input) throws Exception {
        switch (w.get(0)) {
            case "apikey" -> apikey(w);
            case "details" ->
                c.out.printf(
                        "Investigator ID %d%nname           %s%nstatus         %s%n"
                                + "permissions    %s%nkey id         %s%ncreated        %s%nmodified       %s%napi key set    %s%n",
                        inv.id(),
                        inv.name(),
                        inv.status(),
                        Text.describe(inv.permissions()),
                        inv.pgpFingerprint().isEmpty() ? "No PGP key assigned" : inv.pgpFingerprint(),
                        Text.goTime(inv.createdAt()),
                        Text.goTime(inv.lastModified()),
                        !inv.apiKey().isEmpty());
            case "exit" -> {
                c.out.println("exit");
                return false;
            }
            case "help" -> c.out.print(HELP);
            case "lastactions" -> lastActions(w.size() > 1 ? AgentReader.limit(w.get(1)) : 10);
            case "pubkey" -> c.out.println(armored(inv.publicKey()));
            case "r" -> {
                inv = c.ctx.api().getInvestigator(id);
                c.out.println("Reload succeeded");
            }
            case "setstatus" -> {
                if (w.size() != 2) {
                    throw new ConsoleException("error: must be 'setstatus <status>'. try 'help'");
                }
                c.ctx.api().updateInvestigator(id, "status", w.get(1));
                c.out.println("Investigator status set to " + w.get(1));
                inv = c.ctx.api().getInvestigator(id);
            }
            case "setperms" -> {
                Set<Permission> perms = EnumSet.copyOf(Permission.DEFAULT);
                for (String set : w.subList(1, w.size())) {
                    perms.addAll(
                            switch (set) {
                                case "PermManifest" -> Permission.MANIFEST_SET;
                                case "PermLoader" -> Permission.LOADER_SET;
                                case "PermAdmin" -> Permission.ADMIN;
                                default ->
                                    throw new ConsoleException("error: invalid permission \"" + set
                                            + "\"; use PermManifest, PermLoader or PermAdmin (Default always applies)");
                            });
                }
                c.ctx.api().updateInvestigator(id, "permissions", GoJson.marshal(InvestigatorPerms.of(perms)));
                inv = c.ctx.api().getInvestigator(id);
            }
            case "showperms" -> PERM_SETS.forEach(c.out::println);
            default -> c.refuse("Unknown order '" + w.get(0) + "'. You are in investigator mode. Try `help`.");
        }
        return true;
    }

    private void apikey(List<String> w) throws Exception {
        if (w.size() != 2) {
            throw new ConsoleException("error: must be 'apikey <status>'. try 'help'");
        }
        if (w.get(1).equals("active") && !inv.apiKey().isEmpty()) {
            c.out.println("investigator already has an assigned API key");
            if (!c.ask("generate new key? (y/n)> ").equals("y")) {
                return;
            }
        }
        Optional<Investigator> answered = c.ctx.api().updateInvestigator(id, "apikey", w.get(1));
        answered.filter(i -> !i.apiKey().isEmpty() && !i.apiKey().equals("set"))
                .ifPresent(i -> c.out.println("API key for investigator set to \"" + i.apiKey() + "\""));
        inv = c.ctx.api().getInvestigator(id);
    }

    /** The stored key as armoured text, whether the API keeps the armour or the binary packets. */
    static String armored(byte[] key) throws PgpException {
        if (key == null || key.length == 0) {
            return "No PGP key assigned";
        }
        String text = new String(key, StandardCharsets.UTF_8);
        if (text.strip().startsWith("-----BEGIN")) {
            return text.strip();
        }
        return Keyring.fromBytes(key, "investigator public key")
                .keys()
                .get(0)
                .armored()
                .strip();
    }

    private void lastActions(int limit) throws ApiException {
        JsonNode col = c.ctx.api().search("search?type=action&investigatorid=" + id + "&limit=" + limit);
        c.out.println("----- ID ----- + --------    Action Name ------- + ----------- Target   ---------- + "
                + "----    Date    ---- +  -- Status --");
        for (JsonNode v : MigApiClient.values(col, "action")) {
            Action a = GoJson.unmarshal(v.toString(), Action.class);
            c.seen.saw("action", a.id());
            c.out.printf(
                    "%d     %s   %s   %s    %s%n",
                    a.id(),
                    Text.column(a.name(), 30),
                    Text.column(a.target(), 30),
                    Text.rfc3339(a.startTime()),
                    a.status());
        }
    }

    static final String HELP = """
            The following orders are available:
            apikey <status>           enable or disable X-MIGAPIKEY access for investigator (can be 'active' or 'disabled')
            details			  print the details of the investigator
            exit			  exit this mode
            help			  show this help
            lastactions <limit>	  print the last actions ran by the investigator. limit=10 by default.
            pubkey			  show the armored public key of the investigator
            r			  refresh the investigator (get latest version from upstream)
            setperms [permissions...] set permissions for investigator, no arguments to apply default
            showperms                 display possible permission values
            setstatus <status>	  changes the status of the investigator to <status> (can be 'active' or 'disabled')
            """;
}

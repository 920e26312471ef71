package mig.client.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import mig.common.Investigator;
import mig.common.InvestigatorPerms;
import mig.common.Permission;
import mig.common.pgp.PgpException;
import mig.common.pgp.PublicKey;

/**
 * {@code create investigator}: the original's questions (name, admin, loaders, manifests, public
 * key from a file or {@code 0x<fingerprint>} from a key server, confirm), then
 * {@code POST investigator/create/}. The key is parsed here first, so a wrong file fails before the
 * API is asked.
 */
final class InvestigatorCreator {
    /** gpg.mozilla.org, the original's default, is gone; keys.openpgp.org serves the same HKP route. */
    static final String DEFAULT_KEYSERVER = "https://keys.openpgp.org";

    private static final Pattern FINGERPRINT = Pattern.compile("^0x[ABCDEF0-9]{8,64}$");

    private final Console c;

    InvestigatorCreator(Console console) {
        this.c = console;
    }

    void run() throws Exception {
        c.out.println("Entering investigator creation mode.\n\nPlease provide the full name for the new investigator.");
        String name = c.ask("name> ");
        if (name.length() < 3) {
            throw new ConsoleException("error: input name too short (3 characters at least)");
        }
        c.out.printf("Name: \"%s\"%n%n", name);
        Set<Permission> perms = EnumSet.copyOf(Permission.DEFAULT);
        c.out.println("""
                Permissions restrict an investigator to certain functions within the API.
                By default, the investigator is limited to investigation related functions such as
                creating investigations or viewing results. Additional permissions can be assigned
                which provide increased access for the investigator such as the ability to create
                new investigators.

                Enter yes to any of the following to add increased privileges.""");
        if (yes("Allow investigator to manage users (admin)? (yes/no)> ")) {
            c.out.println("Investigator will have administrative permissions");
            perms.addAll(Permission.ADMIN);
        } else {
            c.out.println("Investigator will not have administrative permissions");
        }
        if (yes("Allow investigator to manage loaders? (yes/no)> ")) {
            c.out.println("Investigator will have loader management permissions");
            perms.addAll(Permission.LOADER_SET);
        } else {
            c.out.println("Investigator will not have loader management permissions");
        }
        if (yes("Allow investigator to manage manifests? (yes/no)> ")) {
            c.out.printf("Investigator will have manifest management permissions%n%n");
            perms.addAll(Permission.MANIFEST_SET);
        } else {
            c.out.printf("Investigator will not have manifest management permissions%n%n");
        }
        c.out.println("""
                Generally you will want a PGP public key associated with the investigator. This provides
                the investigator the ability to query agents. It is also possible to skip adding a PGP key,
                in which case the investigator will be limited to interactions with the API if API key based
                authentication is enabled for the investigator.

                Only answer no here if you have an advanced use-case and are familiar with how authentication
                in MIG works.
                """);
        String pubkey = null;
        if (yes("Add a public key for the investigator? (yes/no)> ")) {
            c.out.println("Please provide a public key. You can either provide a local path to the\n"
                    + "armored public key file, or a full length PGP fingerprint.\n"
                    + "example:\npubkey> 0x716CFA6BA8EBB21E860AE231645090E64367737B");
            pubkey = publicKey(c.ask("pubkey> "));
            c.out.println(pubkey);
        } else {
            c.out.println();
        }
        if (!c.ask("create investigator? (y/n)> ").equals("y")) {
            c.out.println("abort");
            return;
        }
        Investigator inv = c.ctx.api().createInvestigator(name, InvestigatorPerms.of(perms), pubkey);
        c.seen.saw("investigator", inv.id());
        c.out.printf("Investigator '%s' successfully created with ID %d%n", inv.name(), inv.id());
    }

    private boolean yes(String question) throws ConsoleException {
        String a = c.ask(question).toLowerCase(java.util.Locale.ROOT);
        return switch (a) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new ConsoleException("error: must specify yes or no, got '" + a + "'");
        };
    }

    /** The armoured key from a file, or fetched by fingerprint from the key server. */
    private String publicKey(String input) throws ConsoleException {
        String armored;
        if (FINGERPRINT.matcher(input).matches()) {
            String server = c.ctx.rc().keyserver().orElse(DEFAULT_KEYSERVER);
            c.out.println("retrieving public key from " + server);
            armored = fetch(server, input);
        } else {
            c.out.println("retrieving public key from " + input);
            try {
                armored = Files.readString(Path.of(input));
            } catch (IOException e) {
                throw new ConsoleException("error: cannot read public key file " + input + ": " + e.getMessage());
            }
        }
        try {
            PublicKey.parse(armored);
        } catch (PgpException e) {
            throw new ConsoleException("error: " + input + " is not an armoured public key: " + e.getMessage()
                    + " (export it with 'gpg --export --armor <fingerprint>')");
        }
        return armored;
    }

    private static String fetch(String server, String fingerprint) throws ConsoleException {
        String url = server.replaceAll("/+$", "") + "/pks/lookup?op=get&options=mr&search="
                + URLEncoder.encode(fingerprint, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> r = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(30))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new ConsoleException("error: key server " + server + " answered " + r.statusCode() + " for "
                        + fingerprint + "; give the path of an exported key instead");
            }
            return r.body();
        } catch (IOException | IllegalArgumentException e) {
            throw new ConsoleException("error: cannot reach key server " + server + ": " + e.getMessage()
                    + "; give the path of an exported key instead");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleException("error: interrupted while fetching the key");
        }
    }
}

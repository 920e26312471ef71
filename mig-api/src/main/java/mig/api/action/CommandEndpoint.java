package mig.api.action;

import mig.api.collection.CollectionJson;
import mig.api.collection.Item;
import mig.api.collection.Link;
import mig.api.http.ApiException;
import mig.api.http.Call;
import mig.api.http.Ids;
import mig.api.http.Reply;
import mig.common.Command;
import mig.database.CommandStore;

/** {@code GET /command?commandid=}: one command with its results, linked to its action. */
public final class CommandEndpoint {
    private final CommandStore commands;

    public CommandEndpoint(CommandStore commands) {
        this.commands = commands;
    }

    public Reply get(Call call) {
        Ids.Parsed id = Ids.positive("commandid", call.query().get("commandid"), "Command");
        Command c = id.exact().stream()
                .mapToObj(commands::get)
                .flatMap(java.util.Optional::stream)
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("Command ID '" + id.shown() + "' not found"));
        Command shown = new Command(
                c.id(),
                Views.commandAction(c.action()),
                c.agent(),
                c.status(),
                c.results(),
                c.startTime(),
                c.finishTime());
        return Reply.of(200, new CollectionJson(call.href()).add(commandItem(call.baseUrl(), shown)));
    }

    /** A command as an item, with a link to its action. */
    public static Item commandItem(String baseUrl, Command c) {
        return Item.of(baseUrl + "/command?commandid=" + c.id(), "command", c)
                .withLinks(new Link(
                        "action", baseUrl + "/action?actionid=" + c.action().id()));
    }
}

package mig.agent.command;

import java.time.Instant;
import mig.agent.spool.Spool;
import mig.common.Command;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every message from the agent's queue comes through here, once or again: the relay delivers a
 * command a second time when its acknowledgement was lost (the connection dropped while it ran) or
 * the agent died before acknowledging it. The {@link Spool} decides what a delivery means:
 *
 * <pre>
 *   NEW      mark running (synced) ─▶ CommandProcessor.execute ─▶ result into the spool
 *   RUNNING  the agent died running it ─▶ answer "failed" without running it again
 *   SPOOLED  already ran, result not yet published ─▶ nothing to do (the relay flushes the spool)
 *   SENT     already answered ─▶ drop the copy
 * </pre>
 *
 * A message that is not a command, or has no command id (no scheduler sends id 0, and a result
 * with id 0 could not be filed), is dropped with a log line; a command the
 * agent fails to process (a bug, not a module failure) is answered {@code failed} with the error,
 * so the investigator sees why instead of waiting for the action to expire. That includes an
 * {@link Error} such as {@code OutOfMemoryError} in the agent's own handling: what it allocated is
 * garbage once it is thrown, so the agent answers and goes on. An error it cannot recover from
 * ({@link OperationRunner.Unrecoverable}), or one thrown while answering, goes on up to the relay,
 * which exits the agent without acknowledging (the spool then answers the command after the
 * restart). The result
 * itself is never published from here: the relay publishes what the spool holds, so a result the
 * relay cannot take waits on disk rather than in this thread.
 */
public final class CommandIntake {

    private static final Logger LOG = LoggerFactory.getLogger(CommandIntake.class);
    /** The error of a command found half-run after a restart. */
    static final String DIED_WHILE_RUNNING =
            "the agent stopped while running this command (killed, crashed or out " + "of memory); it is not run again";

    private final CommandProcessor processor;
    private final Spool spool;

    public CommandIntake(CommandProcessor processor, Spool spool) {
        this.processor = processor;
        this.spool = spool;
    }

    /**
     * Takes one delivery; when it returns, the answer (if any) is in the spool.
     *
     * @throws InterruptedException when the agent shuts down mid-command: the command is forgotten
     *                              by the spool and stays queued, to run at the next start
     */
    public void handle(byte[] body) throws InterruptedException {
        Command cmd;
        try {
            cmd = GoJson.unmarshal(body, Command.class);
        } catch (GoJsonException e) {
            LOG.warn("dropping a message that is not a command ({} bytes): {}", body.length, e.getMessage());
            return;
        } catch (OutOfMemoryError | StackOverflowError e) {
            LOG.error("dropping a message the agent cannot read ({} bytes): {}", body.length, e.toString());
            return;
        }
        if (cmd == null || cmd.id() == 0) {
            LOG.warn("dropping a message that is not a command ({} bytes): it has no command id", body.length);
            return;
        }
        String prefix = "action " + cmd.action().id() + " command " + cmd.id();
        Instant expireAfter = cmd.action().expireAfter();
        switch (spool.state(cmd.id())) {
            case SENT -> LOG.info("{}: delivered again but already answered; dropping the copy", prefix);
            case SPOOLED -> LOG.info("{}: delivered again; it already ran and its result waits in the spool", prefix);
            case RUNNING -> {
                LOG.warn("{}: delivered again after the agent stopped while running it; answering failed", prefix);
                spool.finish(cmd.id(), expireAfter, GoJson.marshal(processor.failed(cmd, DIED_WHILE_RUNNING)));
            }
            case NEW -> {
                spool.begin(cmd.id(), expireAfter);
                Command done;
                OperationRunner.Unrecoverable fatal = null;
                try {
                    done = processor.execute(cmd);
                } catch (InterruptedException e) {
                    spool.abandon(cmd.id());
                    throw e;
                } catch (OperationRunner.Unrecoverable e) {
                    LOG.error("{}: {}", prefix, e.getMessage());
                    fatal = e;
                    done = processor.failed(cmd, "the agent cannot run this command: " + e.getMessage());
                } catch (RuntimeException | Error e) {
                    LOG.error("{}: the agent failed processing it: {}", prefix, e.toString(), e);
                    done = processor.failed(cmd, "the agent failed processing this command: " + e);
                }
                spool.finish(cmd.id(), expireAfter, GoJson.marshal(done));
                if (fatal != null) {
                    throw fatal;
                }
            }
        }
    }
}

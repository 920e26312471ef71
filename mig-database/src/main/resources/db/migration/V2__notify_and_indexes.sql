-- Additions of MIG for Java, all additive: the original's tools ignore them.

-- The scheduler picks a new action up the moment it is committed (LISTEN mig_action_new) instead of
-- polling every second; the payload is the action id.
CREATE FUNCTION mig_notify_action_new() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('mig_action_new', NEW.id::text);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER actions_notify_new AFTER INSERT ON actions
    FOR EACH ROW WHEN (NEW.status = 'pending') EXECUTE FUNCTION mig_notify_action_new();

-- A finished command wakes up whoever follows its action (our client's long poll), payload the action id.
CREATE FUNCTION mig_notify_command_done() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('mig_command_done', NEW.actionid::text);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER commands_notify_done AFTER UPDATE OF status ON commands
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status <> 'sent')
    EXECUTE FUNCTION mig_notify_command_done();

-- Counters are computed per action and status on every poll.
CREATE INDEX commands_actionid_status_idx ON commands(actionid, status);
-- The scheduler looks for actions to pick up and commands to expire.
CREATE INDEX actions_status_idx ON actions(status);
CREATE INDEX commands_status_sent_idx ON commands(actionid) WHERE status = 'sent';

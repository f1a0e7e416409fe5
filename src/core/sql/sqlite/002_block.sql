-- Block decisions (respond/block_store.c) are kind 'block' rows of actions, looked
-- up by target for escalation and removal.
CREATE INDEX actions_by_target ON actions(kind, target, created_at);

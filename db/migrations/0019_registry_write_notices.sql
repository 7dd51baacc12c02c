-- The embedded database's bot is the only process that can open its data directory, so it can be
-- told when a transaction that wrote what a card shows commits, instead of asking registry_writes
-- before every cached answer: its worker sets arendebot.notify_registry_writes and listens. On a
-- PostgreSQL server nobody sets it and nothing is sent (the replicas ask registry_writes).
CREATE OR REPLACE FUNCTION note_registry_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO registry_writes DEFAULT VALUES ON CONFLICT DO NOTHING;
  IF current_setting('arendebot.notify_registry_writes', true) = 'on' THEN
    PERFORM pg_notify('registry_writes', '');
  END IF;
  RETURN NULL;
END;
$$;

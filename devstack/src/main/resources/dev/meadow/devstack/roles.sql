-- Meadow's roles in the gallery's database, one per job, and only the rights each job needs:
--   meadow_owner   owns the schema and migrates it (the gateway's Flyway);
--   meadow_writer  reads and writes rows (the projection, submissions);
--   meadow_reader  reads rows (pages and the API).
-- Run by the superuser, connected to the gallery's database, at every start of the server: by EmbeddedDatabase
-- (meadow up, the tests) and by the image's postgres-entrypoint.sh (compose), with psql's variables owner_password,
-- writer_password and reader_password (EmbeddedDatabase gives SCRAM verifiers, never the passwords; compose's psql
-- gives the passwords over the container's own socket). A database of an earlier Meadow, where the superuser owned
-- everything, is brought to the same state.
SELECT set_config('meadow.owner_password', :'owner_password', false),
       set_config('meadow.writer_password', :'writer_password', false),
       set_config('meadow.reader_password', :'reader_password', false);

DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['meadow_owner', 'meadow_writer', 'meadow_reader'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            EXECUTE format('CREATE ROLE %I', role_name);
        END IF;
        EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
                       role_name, current_setting('meadow.' || substr(role_name, 8) || '_password'));
    END LOOP;
    EXECUTE format('ALTER DATABASE %I OWNER TO meadow_owner', current_database());
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO meadow_owner, meadow_writer, meadow_reader', current_database());
    -- The cluster's other databases are nobody's business but the superuser's.
    REVOKE CONNECT ON DATABASE postgres, template1 FROM PUBLIC;
END $$;

SELECT set_config('meadow.owner_password', '', false),
       set_config('meadow.writer_password', '', false),
       set_config('meadow.reader_password', '', false);

ALTER SCHEMA public OWNER TO meadow_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO meadow_writer, meadow_reader;

-- Tables an earlier Meadow made as the superuser become the owner's (their indexes and sequences follow).
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
               AND pg_get_userbyid(c.relowner) <> 'meadow_owner'
    LOOP
        EXECUTE format('ALTER %s public.%I OWNER TO meadow_owner',
                       CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                       r.relname);
    END LOOP;
END $$;

GRANT SELECT ON ALL TABLES IN SCHEMA public TO meadow_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO meadow_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO meadow_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE meadow_owner IN SCHEMA public GRANT SELECT ON TABLES TO meadow_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE meadow_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO meadow_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE meadow_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO meadow_writer;

-- The schema's history is the owner's alone (the gateway's afterMigrate callback revokes it after each migration).
DO $$
BEGIN
    IF to_regclass('public.flyway_schema_history') IS NOT NULL THEN
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public.flyway_schema_history FROM meadow_writer;
    END IF;
END $$;

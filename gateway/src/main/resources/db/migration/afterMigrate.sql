-- Flyway runs this after every migration, as the schema's owner: the schema's history is the owner's alone. Where a
-- database has a single user for every job (an external one), there is no writer role and nothing to revoke.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'meadow_writer')
            AND has_table_privilege('meadow_writer', 'flyway_schema_history', 'UPDATE') THEN
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON flyway_schema_history FROM meadow_writer;
    END IF;
END $$;

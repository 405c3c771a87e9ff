#!/bin/sh
# First start: create the cluster with its superuser (password authentication on the network).
# Every start: make sure the database exists (a first start cut short may have missed it), give Meadow's roles
# (owner, writer, reader: roles.sql) their passwords and rights, then serve. The gateway logs in as those roles;
# the superuser's password stays with this container.
set -eu
: "${POSTGRES_USER:=meadow}"
: "${POSTGRES_DB:=meadow}"
for name in POSTGRES_PASSWORD MEADOW_DATABASE_OWNER_PASSWORD MEADOW_DATABASE_WRITER_PASSWORD \
    MEADOW_DATABASE_READER_PASSWORD; do
    if [ -z "$(printenv "$name" || true)" ]; then
        echo "$name must be set" >&2
        exit 2
    fi
done
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    rm -rf "$PGDATA.initialising"
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
    initdb -D "$PGDATA.initialising" --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    printf 'host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n' \
        >> "$PGDATA.initialising/pg_hba.conf"
    # Into place only when whole: an initdb cut short is started over, never served.
    rm -rf "$PGDATA"
    mv "$PGDATA.initialising" "$PGDATA"
fi
pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
if ! psql -U "$POSTGRES_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$POSTGRES_DB'" | grep -q 1
then
    createdb -U "$POSTGRES_USER" "$POSTGRES_DB"
fi
# The passwords come from the environment inside psql (\getenv), so that no command line shows them.
psql -v ON_ERROR_STOP=1 -q -U "$POSTGRES_USER" -d "$POSTGRES_DB" >/dev/null <<'SQL'
\getenv owner_password MEADOW_DATABASE_OWNER_PASSWORD
\getenv writer_password MEADOW_DATABASE_WRITER_PASSWORD
\getenv reader_password MEADOW_DATABASE_READER_PASSWORD
\i /usr/local/share/meadow/roles.sql
SQL
pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
exec postgres -D "$PGDATA" -c listen_addresses='*'

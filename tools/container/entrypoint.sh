#!/bin/sh
# Entrypoint of PgUsers' test image (Debian's postgresql-15, built by tools/container/build-image.sh).
# It keeps the official postgres image's contract, so the same `docker run` works on both:
#   POSTGRES_PASSWORD (required), POSTGRES_USER (default postgres), POSTGRES_DB (default the user),
#   each also as NAME_FILE (a file holding the value: Docker and Podman secrets);
#   POSTGRES_INITDB_ARGS; *.sh, *.sql and *.sql.gz in /docker-entrypoint-initdb.d run once, on the
#   first start; arguments starting with "-" (e.g. -c fsync=off) are options of the server.
set -eu

# NAME_FILE names a file holding NAME's value; both at once is a mistake worth stopping for.
file_env() {
    eval "value=\${$1:-} file=\${$1_FILE:-}"
    if [ -n "$value" ] && [ -n "$file" ]; then
        echo "entrypoint: both $1 and $1_FILE are set; give one" >&2
        exit 1
    fi
    if [ -n "$file" ]; then value=$(cat "$file"); fi
    export "$1=${value:-$2}"
    unset "$1_FILE"
}

if [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
if [ "$1" != postgres ]; then exec "$@"; fi

# Root prepares the folders, then runs this script again as postgres (setpriv execs, no extra process).
if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    file_env POSTGRES_PASSWORD ''
    file_env POSTGRES_USER postgres
    file_env POSTGRES_DB "$POSTGRES_USER"
    file_env POSTGRES_INITDB_ARGS ''
    if [ -z "$POSTGRES_PASSWORD" ]; then
        echo "entrypoint: the database is uninitialized and POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) is not set" >&2
        exit 1
    fi
    # The password reaches initdb on a pipe, never on a command line.
    # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of options, as in the official image
    printf '%s\n' "$POSTGRES_PASSWORD" | initdb -D "$PGDATA" --username="$POSTGRES_USER" --pwfile=/dev/stdin \
        --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 $POSTGRES_INITDB_ARGS
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"

    # A temporary server on the socket only (no TCP), so nobody outside sees a half-made database:
    # a client that connects through the published port reaches the final server, ready.
    shift
    pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' $*" start
    export PGUSER="$POSTGRES_USER" PGDATABASE=postgres
    psql() { command psql -v ON_ERROR_STOP=1 --no-psqlrc -q "$@"; }
    if [ "$POSTGRES_DB" != postgres ]; then
        # psql quotes the name; it expands variables only in what it reads, not in -c.
        echo 'CREATE DATABASE :"db"' | psql -v db="$POSTGRES_DB"
    fi
    export PGDATABASE="$POSTGRES_DB"
    for f in /docker-entrypoint-initdb.d/*; do
        case "$f" in
            *.sh) if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
            *.sql) psql -f "$f" ;;
            *.sql.gz) gunzip -c "$f" | psql ;;
            *) if [ -e "$f" ]; then echo "entrypoint: ignoring $f"; fi ;;
        esac
    done
    pg_ctl -D "$PGDATA" -m fast -w stop
    unset PGUSER PGDATABASE
    set -- postgres "$@"
fi

exec "$@"

#!/usr/bin/env bash
# What the test run needs on this machine besides .NET: PostgreSQL's server binaries (initdb, pg_ctl) and
# PgBouncer. Run once per `dotnet test` (PgUsers.Tests' ProvisionTestServers target, before any server starts)
# and by .ci/run. Present: silent. Missing, as root on Debian/Ubuntu: installs them with apt-get, saying so in
# one line. Missing elsewhere: one line naming the command to run, and exit 1.
# PGUSERS_PROVISION_POSTGRES_GLOB and PGUSERS_PROVISION_PGBOUNCER name where to look instead (for testing this script).
set -uo pipefail

postgres_glob=${PGUSERS_PROVISION_POSTGRES_GLOB:-/usr/lib/postgresql/*/bin/initdb}
pgbouncer_path=${PGUSERS_PROVISION_PGBOUNCER:-/usr/sbin/pgbouncer}

has_postgres() {
    command -v initdb >/dev/null 2>&1 && return 0
    command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir 2>/dev/null)/initdb" ] && return 0
    # shellcheck disable=SC2086  # the glob is meant to expand
    for initdb in $postgres_glob; do [ -x "$initdb" ] && return 0; done
    return 1
}

has_pgbouncer() {
    command -v pgbouncer >/dev/null 2>&1 || [ -x "$pgbouncer_path" ]
}

missing=()
has_postgres || missing+=(postgresql)
has_pgbouncer || missing+=(pgbouncer)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Test prerequisites missing: installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    # apt's own chatter (debconf notes and the like) is kept, and shown only when the install fails.
    if apt_out=$(apt-get -o DPkg::Lock::Timeout=600 update -qq 2>&1) \
        && apt_out=$(apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" 2>&1); then
        exit 0
    fi
    printf '%s\n' "$apt_out" >&2
    echo "Test prerequisites: apt-get install ${missing[*]} failed (its output above); fix that, then run the tests again." >&2
    exit 1
fi
echo "Test prerequisites: the tests need ${missing[*]} (PostgreSQL's server binaries and PgBouncer); install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}; elsewhere your system's packages, with initdb and pgbouncer on PATH), then run the tests again." >&2
exit 1

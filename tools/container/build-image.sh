#!/usr/bin/env bash
# Builds PgUsers' test image, PostgreSQL 15 from Debian's packages, once per machine: mmdebstrap makes
# a bookworm root file system with postgresql-15 and our entrypoint, and the engine imports it. The
# tag ends in a hash of every input (this script, the entrypoint, the apt sources), so an image is
# built again only when one of them changes. No image registry is needed: only a Debian mirror.
#
#   tools/container/build-image.sh [podman|docker]    prints the image's name on stdout
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
engine=${1:-$(command -v podman >/dev/null 2>&1 && echo podman || echo docker)}
suite=bookworm
major=15

# The mirrors this machine's apt already uses for Debian (often the only network a CI machine has);
# elsewhere mmdebstrap's default, deb.debian.org with its updates and security suites.
sources=$(apt-cache policy 2>/dev/null | awk -v suite="$suite" '
    /^ *[0-9]+ (https?|file):/ { uri = $2; split($3, part, "/"); dist = part[1]; next }
    /release .*o=Debian,/ && uri && index(dist, suite) == 1 { print "deb " uri " " dist " main"; uri = "" }' | sort -u || true)

hash=$( { cat "$0" "$here/entrypoint.sh"; echo "$sources"; } | sha256sum | cut -c1-12)
image="localhost/pgusers-postgres:$major-$hash"

# One build at a time on a machine; whoever waited finds the image made. The lock is taken on this script
# itself, so no lock file is left behind in the temp folder.
exec 9<"${BASH_SOURCE[0]}"
flock 9
if "$engine" image inspect "$image" >/dev/null 2>&1; then
    echo "$image"
    exit 0
fi

work=$(mktemp -d "${TMPDIR:-/var/tmp}/pgusers-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
mirrors=()
if [ -n "$sources" ]; then
    printf '%s\n' "$sources" > "$work/sources.list"
    mirrors=("$work/sources.list")
fi
started=$(date +%s)
echo "building $image from Debian $suite's postgresql-$major (once per machine)" >&2
# Debian's package makes a cluster of its own; the entrypoint makes the container's, so that one goes.
# Documentation stays out of the image (licences stay).
mmdebstrap --variant=apt --include="postgresql-$major" --quiet \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook="rm -rf \"\$1/var/lib/postgresql/$major\" \"\$1/etc/postgresql/$major\"" \
    --customize-hook='mkdir -p "$1/docker-entrypoint-initdb.d" "$1/var/lib/postgresql/data"' \
    --customize-hook="upload $here/entrypoint.sh /usr/local/bin/docker-entrypoint.sh" \
    --customize-hook='chmod 755 "$1/usr/local/bin/docker-entrypoint.sh"' \
    "$suite" "$work/rootfs.tar" "${mirrors[@]}" >&2
"$engine" import \
    --change "ENV PATH=/usr/lib/postgresql/$major/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change 'ENV PGDATA=/var/lib/postgresql/data' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
    --change 'CMD ["postgres"]' \
    --change 'EXPOSE 5432' \
    --change 'STOPSIGNAL SIGINT' \
    --change "LABEL org.opencontainers.image.description=\"PostgreSQL $major from Debian $suite, for PgUsers' tests\"" \
    "$work/rootfs.tar" "$image" >/dev/null
echo "built $image in $(( $(date +%s) - started )) s" >&2
echo "$image"

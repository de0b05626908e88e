#!/usr/bin/env bash
# A container engine that the docker client reaches, and PgUsers' test image on it; used by .ci/run
# and by the tests (tests/PgUsers.Tests/Infrastructure/ContainerEngine.cs).
#
#   tools/container/engine.sh start [OWNER_PID]
#       Uses the engine `docker info` already answers (Docker, Docker Desktop, or an API service an
#       outer caller started). Else, as root on Debian: installs podman, runc and mmdebstrap when
#       missing and starts `podman system service` on a socket in a new temp folder. Builds the test
#       image when this machine has none of its inputs' hash (build-image.sh). Prints KEY=VALUE lines
#       to export: DOCKER_HOST, CONTAINERS_CONF, PGUSERS_TEST_IMAGE, PGUSERS_ENGINE_DIR (empty when no
#       service was started here). A service started here ends with OWNER_PID, when given.
#   tools/container/engine.sh stop DIR
#       Removes the sandbox containers whose process is gone and stops the service started in DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# Sandbox containers whose process died (label pgusers.sandbox=PID): their own watchdogs normally
# removed them, this catches any that ran when the engine was gone.
sweep() {
    local id pid
    docker ps -a --filter label=pgusers.sandbox --format '{{.ID}} {{.Label "pgusers.sandbox"}}' 2>/dev/null |
        while read -r id pid; do
            if ! kill -0 "$pid" 2>/dev/null; then docker rm -f -v "$id" >/dev/null 2>&1 || true; fi
        done || true
}

stop_service() {
    local dir=$1
    [ -n "$dir" ] && [ -f "$dir/service.pid" ] || return 0
    DOCKER_HOST="unix://$dir/podman.sock" sweep
    kill "$(cat "$dir/service.pid")" 2>/dev/null || true
    rm -rf "$dir"
}

start() {
    local owner=${1:-} dir="" tool=docker
    if ! docker info >/dev/null 2>&1; then
        local missing=()
        command -v podman >/dev/null || missing+=(podman)
        command -v runc >/dev/null || missing+=(runc)
        command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
        if [ ${#missing[@]} -gt 0 ]; then
            if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
                echo "engine.sh: no container engine answers 'docker info', and ${missing[*]} cannot be installed here (needs root and apt-get)" >&2
                exit 1
            fi
            echo "installing Debian's ${missing[*]}" >&2
            apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
            DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
        fi
        dir=$(mktemp -d "${TMPDIR:-/tmp}/pgusers-engine.XXXXXX")
        # crun refuses hybrid cgroup hierarchies and setrlimit may be refused: runc, cgroupfs, no ulimits.
        # Given through CONTAINERS_CONF, so nothing under /etc changes.
        cat > "$dir/containers.conf" <<'CONF'
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"
CONF
        export CONTAINERS_CONF="$dir/containers.conf" DOCKER_HOST="unix://$dir/podman.sock"
        # setsid and no inherited descriptors: the caller reading our output must not wait on the service.
        setsid podman system service --time=0 "$DOCKER_HOST" </dev/null >"$dir/service.log" 2>&1 &
        echo $! > "$dir/service.pid"
        local tries=0
        until docker info >/dev/null 2>&1; do
            tries=$((tries + 1))
            if [ $tries -gt 120 ] || ! kill -0 "$(cat "$dir/service.pid")" 2>/dev/null; then
                echo "engine.sh: podman system service did not answer: $(tail -5 "$dir/service.log")" >&2
                stop_service "$dir"
                exit 1
            fi
            sleep 0.25
        done
        if [ -n "$owner" ]; then
            # The service ends with its owner; first the owner's sandbox watchdogs get a moment to remove theirs.
            setsid bash -c "while kill -0 $owner 2>/dev/null; do sleep 1; done; sleep 5; '$here/engine.sh' stop '$dir'" \
                </dev/null >/dev/null 2>&1 &
        fi
        tool=podman
    elif command -v podman >/dev/null && [ -n "${CONTAINERS_CONF:-}" ]; then
        tool=podman    # an outer caller's podman service: the same storage
    fi
    sweep
    local image
    image=$("$here/build-image.sh" "$tool")
    echo "DOCKER_HOST=${DOCKER_HOST:-}"
    echo "CONTAINERS_CONF=${CONTAINERS_CONF:-}"
    echo "PGUSERS_TEST_IMAGE=$image"
    echo "PGUSERS_ENGINE_DIR=$dir"
}

case "${1:-}" in
    start) start "${2:-}" ;;
    stop) stop_service "${2:-}" ;;
    *) echo "usage: $0 start [OWNER_PID] | stop DIR" >&2; exit 2 ;;
esac

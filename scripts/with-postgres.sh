#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster:
#   scripts/with-postgres.sh pytest -q
# The cluster lives in a temp dir on a free 127.0.0.1 port, gets a database
# "shifu_test", and is stopped and deleted on exit whatever happens, so it
# never collides with (or touches) a system cluster. Exit code is CMD's.
set -euo pipefail

(($# > 0)) || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }

# Debian's `postgresql` package puts the server binaries outside $PATH.
bindir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[[ -x $bindir/initdb ]] || { echo "$0: no PostgreSQL server under /usr/lib/postgresql (scripts/system-packages.sh test)" >&2; exit 1; }

# The server refuses to run as root, so as root we drop to the `postgres` user.
if ((EUID == 0)); then as_pg=(runuser -u postgres --); else as_pg=(); fi

# Plain /tmp rather than $TMPDIR: the `postgres` user must be able to reach it,
# and the Unix socket path inside it must stay under ~100 characters.
tmp=$(mktemp -d /tmp/shifu-pg.XXXXXX)
((EUID == 0)) && chown postgres "$tmp"
data="$tmp/data"

# shellcheck disable=SC2317  # only reached through the trap
cleanup() {
  if [[ -f $data/postmaster.pid ]]; then
    "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
# Turn Ctrl-C/TERM into a normal exit so the EXIT trap does the cleanup.
trap 'exit 130' INT
trap 'exit 143' TERM

# Ask the kernel for a free port (tiny race window between close and bind; fine for tests).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# UTF8 + C.UTF-8 so Chinese text round-trips and sorting does not depend on host locales.
"${as_pg[@]}" "$bindir/initdb" -D "$data" -A trust -U postgres \
  --encoding=UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 \
  || { cat "$tmp/initdb.log" >&2; exit 1; }

# Durability is pointless for a cluster we delete afterwards and only slows
# the tests down. The socket goes in our temp dir because
# /var/run/postgresql may not exist or be writable.
if ! "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" -l "$tmp/log" -w -t 30 start \
     -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
     >/dev/null; then
  echo "$0: PostgreSQL failed to start; log tail:" >&2
  tail -n 30 "$tmp/log" >&2 || true
  exit 1
fi

"$bindir/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c 'CREATE DATABASE shifu_test'

export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/shifu_test"
echo "with-postgres: PostgreSQL $("$bindir/postgres" -V | awk '{print $3}') on 127.0.0.1:$port"

# Not exec: we must outlive CMD to clean up. `|| rc=$?` keeps set -e from exiting early.
rc=0
"$@" || rc=$?
exit "$rc"

#!/usr/bin/env bash
# Provision a local PostgreSQL with pgvector + fuzzystrmatch for agentmem's tests.
#
# Shared by CI (.ci/run) and developers. Debian 12 (bookworm). Idempotent: a second run is a
# fast no-op. Progress goes to stderr; stdout carries exactly one line, the connection URL:
#
#   export AGENTMEM_TEST_POSTGRES_URL="$(bash scripts/provision-postgres.sh)"
#
# What it ensures:
#   1. the PostgreSQL server (Debian package) is installed, its cluster exists and is running
#      on 127.0.0.1:<port>;
#   2. trust authentication for TCP connections from 127.0.0.1 (tests only!);
#   3. pgvector is installed (Debian 12 has no package: built from the Debian trixie source
#      package, fetched from the same mirror the machine already uses);
#   4. the test database exists and `vector` and `fuzzystrmatch` can be created in it.
#
# Runs as root, or as a user with sudo for the steps that need root.
#
# Overrides (environment, all optional; defaults are what CI uses):
#   AGENTMEM_PG_MAJOR      PostgreSQL major version            (15)
#   AGENTMEM_PG_CLUSTER    Debian cluster name                 (main)
#   AGENTMEM_PG_PORT       TCP port                            (5432)
#   AGENTMEM_PG_DATABASE   test database name                  (agentmem_test)
#   AGENTMEM_DEBIAN_MIRROR Debian archive URI for the pgvector source
#                          (default: first URIs: of /etc/apt/sources.list.d/debian.sources)
set -euo pipefail

PG_MAJOR="${AGENTMEM_PG_MAJOR:-15}"
PG_CLUSTER="${AGENTMEM_PG_CLUSTER:-main}"
PG_PORT="${AGENTMEM_PG_PORT:-5432}"
PG_DATABASE="${AGENTMEM_PG_DATABASE:-agentmem_test}"
PG_USER=postgres           # superuser: the tests create roles (RLS) and extensions
PG_HOST=127.0.0.1
PGVECTOR_SOURCE_SUITE=trixie

PG_BINDIR="/usr/lib/postgresql/${PG_MAJOR}/bin"
PG_CONFIG="${PG_BINDIR}/pg_config"
HBA_MARKER="# agentmem: trust TCP from 127.0.0.1 for local tests (scripts/provision-postgres.sh)"

log() { printf '[provision-postgres] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Never let the caller's libpq environment change which server/user/password we test.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGSERVICEFILE \
      PGSSLMODE PGOPTIONS PGCONNECT_TIMEOUT PGTARGETSESSIONATTRS || true
export PGPASSFILE=/nonexistent/agentmem-no-pgpass   # a password from ~/.pgpass must not mask missing trust auth

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-q -y -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)

# apt-get install, refreshing the package lists only when the install cannot proceed without.
apt_install() {
  log "apt-get install $*"
  if ! as_root apt-get "${APT_OPTS[@]}" install --no-install-recommends "$@" >/dev/null 2>&1; then
    log "install failed with the current package lists; running apt-get update and retrying"
    as_root apt-get "${APT_OPTS[@]}" update >/dev/null
    as_root apt-get "${APT_OPTS[@]}" install --no-install-recommends "$@" >/dev/null
  fi
}

conninfo() { printf 'host=%s port=%s user=%s dbname=%s connect_timeout=5' \
  "$PG_HOST" "$PG_PORT" "$PG_USER" "${1:-postgres}"; }
# psql as the test user over TCP, never prompting for a password.
pgsql() { local db="$1"; shift
  "${PG_BINDIR}/psql" -X -w -q -v ON_ERROR_STOP=1 -At "$(conninfo "$db")" "$@"; }

cluster_field() {  # cluster_field <column>: 3=port 4=status of our cluster, empty if absent
  pg_lsclusters -h 2>/dev/null | awk -v v="$PG_MAJOR" -v c="$PG_CLUSTER" -v f="$1" \
    '$1 == v && $2 == c { print $f; exit }'
}

# --- 1. server installed -------------------------------------------------------------------
if [ ! -x "${PG_BINDIR}/postgres" ] || ! command -v pg_lsclusters >/dev/null 2>&1; then
  log "PostgreSQL ${PG_MAJOR} not installed; installing"
  apt_install postgresql "postgresql-${PG_MAJOR}" "postgresql-client-${PG_MAJOR}"
fi
[ -x "${PG_BINDIR}/postgres" ] || die "${PG_BINDIR}/postgres missing after install"
[ -f "/usr/share/postgresql/${PG_MAJOR}/extension/fuzzystrmatch.control" ] ||
  apt_install "postgresql-contrib" "postgresql-${PG_MAJOR}"

# --- 2. cluster exists and runs ------------------------------------------------------------
if [ -z "$(cluster_field 2)" ]; then
  log "creating cluster ${PG_MAJOR}/${PG_CLUSTER} on port ${PG_PORT}"
  as_root pg_createcluster "$PG_MAJOR" "$PG_CLUSTER" --port "$PG_PORT" >/dev/null
fi
port="$(cluster_field 3)"
[ "$port" = "$PG_PORT" ] ||
  die "cluster ${PG_MAJOR}/${PG_CLUSTER} is configured for port ${port}, expected ${PG_PORT}"

case "$(cluster_field 4)" in
  online*) ;;
  *)
    log "starting cluster ${PG_MAJOR}/${PG_CLUSTER}"
    as_root pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" "$PG_CLUSTER" start
    ;;
esac

ready=0
for _ in $(seq 1 60); do
  if "${PG_BINDIR}/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT" -t 1; then ready=1; break; fi
  sleep 0.5
done
[ "$ready" = 1 ] || die "server not accepting connections on ${PG_HOST}:${PG_PORT} (see /var/log/postgresql/postgresql-${PG_MAJOR}-${PG_CLUSTER}.log)"

# --- 3. trust auth on 127.0.0.1 ------------------------------------------------------------
if ! pgsql postgres -c 'select 1' >/dev/null 2>&1; then
  hba="/etc/postgresql/${PG_MAJOR}/${PG_CLUSTER}/pg_hba.conf"
  [ -f "$hba" ] || die "cannot connect as ${PG_USER} and ${hba} does not exist"
  if ! grep -qxF "$HBA_MARKER" "$hba"; then
    log "adding trust rule for ${PG_HOST} to ${hba}"
    tmp="$(mktemp)"
    # pg_hba.conf is first-match: put our rule before the first existing rule.
    awk -v marker="$HBA_MARKER" -v rule="host    all    all    ${PG_HOST}/32    trust" '
      !done && $0 !~ /^[[:space:]]*(#|$)/ { print marker; print rule; print ""; done = 1 }
      { print }
      END { if (!done) { print marker; print rule } }' "$hba" > "$tmp"
    as_root cp -p "$hba" "${hba}.agentmem.bak"
    as_root tee "$hba" < "$tmp" >/dev/null   # keeps owner and mode of the original
    rm -f "$tmp"
  fi
  log "reloading cluster ${PG_MAJOR}/${PG_CLUSTER}"
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" "$PG_CLUSTER" reload
  ok=0
  for _ in $(seq 1 20); do
    if pgsql postgres -c 'select 1' >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.25
  done
  [ "$ok" = 1 ] || die "still cannot connect as ${PG_USER}@${PG_HOST}:${PG_PORT} without a password: $(pgsql postgres -c 'select 1' 2>&1 || true)"
fi

# --- 4. pgvector ---------------------------------------------------------------------------
sharedir="$("$PG_CONFIG" --sharedir)"
pkglibdir="$("$PG_CONFIG" --pkglibdir)"
if [ -f "${sharedir}/extension/vector.control" ] && [ -f "${pkglibdir}/vector.so" ]; then
  :
else
  log "pgvector missing; building it from the Debian ${PGVECTOR_SOURCE_SUITE} source package"
  apt_install "postgresql-server-dev-${PG_MAJOR}" make gcc tar xz-utils

  mirror="${AGENTMEM_DEBIAN_MIRROR:-}"
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
    mirror="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then  # one-line format fallback
    mirror="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)"
  fi
  [ -n "$mirror" ] || die "cannot find the Debian mirror URI (set AGENTMEM_DEBIAN_MIRROR)"

  scratch="$(mktemp -d /tmp/agentmem-pgvector.XXXXXX)"
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch/lists/partial" "$scratch/src"
  printf 'deb-src %s %s main\n' "$mirror" "$PGVECTOR_SOURCE_SUITE" > "$scratch/sources.list"
  if id _apt >/dev/null 2>&1; then   # let apt's unprivileged downloader write there
    chmod 755 "$scratch"
    chown -R _apt "$scratch/lists" "$scratch/src" 2>/dev/null || true
  fi
  # A private sources list, lists dir and no binary caches: the machine's apt state is untouched.
  SRC_APT=(-q -o "Dir::Etc::SourceList=$scratch/sources.list" -o Dir::Etc::SourceParts=/dev/null
           -o "Dir::State::Lists=$scratch/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
           -o Acquire::Languages=none)
  log "fetching pgvector source (${PGVECTOR_SOURCE_SUITE}) from ${mirror}"
  apt-get "${SRC_APT[@]}" update >/dev/null
  (cd "$scratch/src" && apt-get "${SRC_APT[@]}" source --download-only pgvector >/dev/null)
  tarball="$(ls "$scratch"/src/pgvector_*.orig.tar.* 2>/dev/null | head -n1)"
  [ -n "$tarball" ] || die "pgvector orig tarball not downloaded"
  log "building $(basename "$tarball")"
  mkdir "$scratch/build"
  tar -xf "$tarball" -C "$scratch/build" --strip-components=1
  # OPTFLAGS= : no -march=native, so the binary survives a move to another CPU.
  # with_llvm=no : skip the JIT bitcode (halves the build, irrelevant for tests).
  make -s -C "$scratch/build" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS= with_llvm=no \
    >/dev/null 2>"$scratch/build.log" || { cat "$scratch/build.log" >&2; die "pgvector build failed"; }
  as_root make -s -C "$scratch/build" PG_CONFIG="$PG_CONFIG" OPTFLAGS= with_llvm=no install \
    >/dev/null 2>>"$scratch/build.log" || { cat "$scratch/build.log" >&2; die "pgvector install failed"; }
  [ -f "${sharedir}/extension/vector.control" ] || die "vector.control not installed"
  log "pgvector $(awk -F"'" '/default_version/ { print $2 }' "${sharedir}/extension/vector.control") installed"
fi

# --- 5. test database + extensions ---------------------------------------------------------
if [ "$(pgsql postgres -c "select 1 from pg_database where datname = '${PG_DATABASE}'")" != 1 ]; then
  log "creating database ${PG_DATABASE}"
  # tolerate a concurrent run creating it first
  pgsql postgres -c "create database \"${PG_DATABASE}\"" >/dev/null 2>&1 ||
    [ "$(pgsql postgres -c "select 1 from pg_database where datname = '${PG_DATABASE}'")" = 1 ] ||
    die "cannot create database ${PG_DATABASE}"
fi
pgsql "$PG_DATABASE" -c 'set client_min_messages = warning' \
  -c 'create extension if not exists vector' \
  -c 'create extension if not exists fuzzystrmatch' >/dev/null
versions="$(pgsql "$PG_DATABASE" -c "select string_agg(extname || ' ' || extversion, ', ' order by extname) from pg_extension where extname in ('vector', 'fuzzystrmatch')")"
log "ready: PostgreSQL ${PG_MAJOR} on ${PG_HOST}:${PG_PORT}, database ${PG_DATABASE} (${versions})"

printf 'postgres://%s@%s:%s/%s\n' "$PG_USER" "$PG_HOST" "$PG_PORT" "$PG_DATABASE"

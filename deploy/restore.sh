#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into a NEW database (docs/deploy.md#backups).
#
#   deploy/restore.sh BACKUP.dump postgres://user@host:5432/new_database
#
# Refuses to touch an existing database: restore next to production, check it, then
# point DATABASE_URL at it. Afterwards, before the site opens again:
#   1. .venv/bin/python manage.py migrate        (a backup from an older release)
#   2. repeat the erasures done since the backup was taken (docs/deploy.md#backups)
#   3. restore the bucket's files from the same time (versioning or the copy).
set -euo pipefail

if [[ $# -ne 2 || "$2" != postgres* ]]; then
    echo "usage: $0 BACKUP.dump postgres://user@host:5432/new_database" >&2
    exit 2
fi
dump="$1"
target="$2"
name="${target##*/}"
name="${name%%\?*}"
server="${target%/*}/postgres"
if [[ ! -r "$dump" ]]; then
    echo "restore: cannot read $dump" >&2
    exit 2
fi
if [[ ! "$name" =~ ^[A-Za-z0-9_]+$ ]]; then
    echo "restore: database name must be letters, digits and _ ($name)" >&2
    exit 2
fi
exists="$(psql "$server" -Atc "SELECT 1 FROM pg_database WHERE datname = '$name'")"
if [[ -n "$exists" ]]; then
    echo "restore: database $name exists; restore into a new one" >&2
    exit 1
fi
psql "$server" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$name\" ENCODING 'UTF8' TEMPLATE template0"
pg_restore --exit-on-error --no-owner --no-privileges --jobs="${RESTORE_JOBS:-2}" \
    --dbname="$target" "$dump"
psql "$target" -q -v ON_ERROR_STOP=1 -c "ANALYZE"
echo "restore: $dump restored into $name"

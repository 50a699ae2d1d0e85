#!/usr/bin/env bash
# Nightly logical backup of PatientVoice's PostgreSQL database (docs/deploy.md#backups).
#
#   deploy/backup.sh [DATABASE_URL] [OUTPUT_FILE]
#
# Defaults: $DATABASE_URL, and backups/patientvoice-<UTC timestamp>.dump. Writes
# pg_dump's custom format (compressed; pg_restore can restore it in parallel and pick
# tables), first to a temporary name, so a failed dump never looks like a backup.
# Run it with the same pg_dump major version as the server, or newer.
#
# The dump is health data: encrypt it before it leaves the machine, e.g.
#   age -r "$BACKUP_RECIPIENT" -o "$OUT.age" "$OUT"   or   gpg --encrypt ...
# and keep it only as long as the privacy notice says (30 days is common).
#
# Uploaded files are not in the dump. Keep the bucket versioned, or copy it next to
# the dump with the same timestamp, e.g. one of:
#   aws s3 sync "s3://$AWS_STORAGE_BUCKET_NAME" "s3://patientvoice-backup/$STAMP/" \
#       --endpoint-url "$AWS_S3_ENDPOINT_URL"
#   rclone sync "pv:$AWS_STORAGE_BUCKET_NAME" "backup:patientvoice/$STAMP"
# and the private bucket (PV_PRIVATE_BUCKET) or PV_PRIVATE_ROOT the same way.
# SECRET_KEY is needed to use a restore (TOTP secrets are encrypted with a key derived
# from it): keep it in the secret store, not with the dump.
set -euo pipefail

url="${1:-${DATABASE_URL:-}}"
if [[ -z "$url" || "$url" != postgres* ]]; then
    echo "usage: $0 postgres://user@host:5432/db [output.dump]  (or set DATABASE_URL)" >&2
    exit 2
fi
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="${2:-backups/patientvoice-$stamp.dump}"
mkdir -p "$(dirname "$out")"
umask 077
# --no-owner/--no-privileges: the restore runs as whatever role owns the new database.
pg_dump --format=custom --compress=6 --no-owner --no-privileges \
    --file="$out.partial" "$url"
mv "$out.partial" "$out"
echo "backup: $out ($(du -h "$out" | cut -f1)), taken $stamp"

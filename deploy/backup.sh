#!/usr/bin/env bash
# Backs up the Order Helper database with pg_dump (custom format: compressed, restorable table by
# table) into BACKUP_DIR, named by date and time, and deletes backups older than BACKUP_KEEP_DAYS.
# Reads DATABASE_URL (the app's own, postgresql+psycopg://...) from the environment or
# /etc/order-helper/env. A consistent snapshot: the app keeps running while it dumps.
#   deploy/backup.sh                 # → $BACKUP_DIR/order_helper-YYYYmmdd-HHMMSS.dump
set -euo pipefail
[ -z "${DATABASE_URL:-}" ] && [ -r /etc/order-helper/env ] && set -a && . /etc/order-helper/env && set +a
: "${DATABASE_URL:?DATABASE_URL is not set}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/order-helper}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-30}"
url="${DATABASE_URL/postgresql+psycopg:/postgresql:}"  # libpq does not know SQLAlchemy's driver suffix
case "$url" in postgresql://*) ;; *) echo "backup.sh: DATABASE_URL is not PostgreSQL" >&2; exit 2 ;; esac

mkdir -p "$BACKUP_DIR"
file="$BACKUP_DIR/order_helper-$(date +%Y%m%d-%H%M%S).dump"
pg_dump --format=custom --no-owner --no-privileges --file="$file.partial" "$url"
mv "$file.partial" "$file"  # a half-written dump never looks like a backup
pg_restore --list "$file" >/dev/null  # readable, or fail loudly now rather than on restore day
find "$BACKUP_DIR" -name 'order_helper-*.dump' -mtime +"$BACKUP_KEEP_DAYS" -delete
echo "$file ($(du -h "$file" | cut -f1))"

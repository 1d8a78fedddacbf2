#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh into the database of DATABASE_URL, replacing what is
# there. Stop the app processes first (systemctl stop 'order-helper@*'), then:
#   deploy/restore.sh /var/backups/order-helper/order_helper-20261125-023000.dump --yes
# then `flask --app app db upgrade` (a backup from an older release gets the newer tables) and
# `flask --app app stock-check`, and start the app processes again.
set -euo pipefail
dump="${1:?usage: restore.sh BACKUP.dump --yes}"
[ "${2:-}" = "--yes" ] || { echo "restore.sh replaces the whole database; add --yes to go on" >&2; exit 2; }
[ -z "${DATABASE_URL:-}" ] && [ -r /etc/order-helper/env ] && set -a && . /etc/order-helper/env && set +a
: "${DATABASE_URL:?DATABASE_URL is not set}"
url="${DATABASE_URL/postgresql+psycopg:/postgresql:}"
pg_restore --list "$dump" >/dev/null
# One transaction: a restore that fails half-way leaves the database as it was.
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$url" "$dump"
echo "restored $dump"

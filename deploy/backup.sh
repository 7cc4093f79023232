#!/bin/sh
# deploy/backup.sh DEST_DIR — the database (pg_dump, custom format) and the uploaded and generated files.
# Reads DATABASE_URL and KCN_MEDIA_ROOT like the portal (e.g. `set -a; . /etc/kcn/kcn.env; set +a`).
# Prints the two files written. Restore with deploy/restore.sh; tested by tests/ops/test_backup_restore.py.
set -eu
dest=${1:?usage: backup.sh DEST_DIR}
: "${DATABASE_URL:?DATABASE_URL is required}"
media=${KCN_MEDIA_ROOT:-./media}
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$dest"
pg_dump --format=custom --no-owner --no-privileges --file "$dest/kcn-$stamp.dump" "$DATABASE_URL"
if [ -d "$media" ]; then
    tar -C "$media" -czf "$dest/kcn-media-$stamp.tar.gz" .
else
    tar -czf "$dest/kcn-media-$stamp.tar.gz" -T /dev/null
fi
echo "$dest/kcn-$stamp.dump"
echo "$dest/kcn-media-$stamp.tar.gz"

#!/bin/sh
# deploy/restore.sh TARGET_DATABASE_URL DUMP [MEDIA_TAR [MEDIA_ROOT]] — into an EMPTY database (createdb it
# first): the dump's schema and rows, then the files. Stops at the first error; nothing is overwritten
# in the database it came from. Afterwards: `python manage.py migrate --check` with DATABASE_URL=TARGET.
set -eu
target=${1:?usage: restore.sh TARGET_DATABASE_URL DUMP [MEDIA_TAR [MEDIA_ROOT]]}
dump=${2:?usage: restore.sh TARGET_DATABASE_URL DUMP [MEDIA_TAR [MEDIA_ROOT]]}
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$target" "$dump"
if [ "${3:-}" ]; then
    media=${4:-${KCN_MEDIA_ROOT:-./media}}
    mkdir -p "$media"
    tar -C "$media" -xzf "$3"
fi

"""Compile the project's gettext catalogues (locale/*/LC_MESSAGES/*.po) to .mo in pure Python.

Django's compilemessages needs GNU gettext's msgfmt on the machine; polib does not, so
`make run` works on a machine with nothing but Python.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (no msgfmt needed)."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                try:
                    catalogue = polib.pofile(str(po_path))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"{po_path}: {exc}") from exc
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"{po_path}: {catalogue.percent_translated()}% translated")
        self.stdout.write(f"Compiled {compiled} catalogue(s).")

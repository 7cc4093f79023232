"""The initial USD→VND catalogue: one rate per year, 2000–2026 (administrators edit it later).

Yearly averages of the official rate, rounded to the đồng, as a reference for deriving an
amount a certificate does not state. Every database starts with them, so a workbook whose
USD cells were left for the portal to derive imports the same way everywhere.
"""

import datetime
from decimal import Decimal

from django.db import migrations

SOURCE = "Tỷ giá bình quân năm (tham khảo, danh mục ban đầu)"
YEARLY = {
    2000: 14168, 2001: 14725, 2002: 15280, 2003: 15510, 2004: 15746, 2005: 15859, 2006: 15994,
    2007: 16105, 2008: 16302, 2009: 17065, 2010: 18613, 2011: 20510, 2012: 20828, 2013: 20933,
    2014: 21148, 2015: 21698, 2016: 21935, 2017: 22370, 2018: 22602, 2019: 23050, 2020: 23208,
    2021: 23160, 2022: 23271, 2023: 23787, 2024: 24165, 2025: 25300, 2026: 26150,
}  # fmt: skip


def load(apps, schema_editor):
    ExchangeRate = apps.get_model("investment", "ExchangeRate")
    last = max(YEARLY)
    ExchangeRate.objects.bulk_create(
        ExchangeRate(
            valid_from=datetime.date(year, 1, 1),
            # The newest rate stays open-ended until an administrator adds the next one.
            valid_to=None if year == last else datetime.date(year, 12, 31),
            vnd_per_usd=Decimal(rate),
            source=SOURCE,
        )
        for year, rate in YEARLY.items()
    )


def unload(apps, schema_editor):
    apps.get_model("investment", "ExchangeRate").objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("investment", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

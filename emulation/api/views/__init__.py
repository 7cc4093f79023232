"""API of the emulation app (DOMAIN.md §8): bloc years, scoring tables, scorecards, rankings, movements, awards;
one module per aggregate (`years`, `registrations`, `scoring`, `awards`) and `common` (path patterns, schema
parameters, loading the URL's bloc year).

A bloc year is addressed by bloc code and year, as in the pages (`/emulation/DBSH/2025/`):

    bloc-years/                                            the years the user may open
    bloc-years/<code>/<year>/                              one year; …/table/ its scoring table
    bloc-years/<code>/<year>/rounds/<kind>/                a round (kind: mid_year | year_end);
                                                           …/ranking/ (GET), …/close/ and …/publish/ (POST)
    bloc-years/<code>/<year>/rounds/<kind>/scorecards/     the cards the user may read; …/<board>/ one card,
                                                           …/self/ and …/review/ (PATCH), …/submit/ and …/return/ (POST)
    bloc-years/<code>/<year>/registrations/                every member's registration status; …/<board>/ one
                                                           registration (GET, PUT), …/<board>/submit/ (POST)
    movements/                                             read, launch (POST), change (PATCH), …/<id>/advance/ (POST)
    award-decisions/                                       read, record (POST)
    award-titles/                                          read; …/<code>/eligibility/?recipient=&year= (GET)

Thin views: reads through emulation.selectors, writes through emulation.services (the modules of the
same aggregate: `years`, `registrations`, `scoring`, `awards`), every decision in emulation.access; the
lists of movements and decisions filter through emulation.filters. Whatever the user may not read answers
404 (another member's card before publication or registration, a ranking not yet published, a year of
another bloc); a readable object the user may not change answers 403 with the reason; a refused value 400
with the service's messages. Cards, registrations and movements carry `ETag: "<version>"`; a write sending
an older version in `If-Match` answers 412 and saves nothing (the ETag/If-Match handling is
kcn_portal.core.api's `Versioned`, shared by every app's API).
"""

"""Pages of the emulation app, one module per aggregate — `years`, `registrations`, `scoring`, `awards` — and
`exports` (the Excel downloads); emulation/urls.py lists every route. A view of `scoring` calls
`emulation.services.scoring` and `emulation.selectors.scoring` (and the other aggregates' modules by name when
it needs them); every decision of who may do what is emulation.access's.
"""

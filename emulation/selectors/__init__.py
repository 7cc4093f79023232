"""Reads of the emulation app, already scoped to what the user may see (emulation.access), one module per
aggregate: `years`, `registrations`, `scoring`, `awards` (import the module: `from emulation.selectors import
scoring`). Objects outside the user's scope are not found (Http404 in pages, 404 in the API).
"""

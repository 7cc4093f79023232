"""Forms of the emulation pages, one module per aggregate (`years`, `registrations`, `scoring`, `awards`) and
the number fields they share (`fields`). The forms only parse what people type; every rule of the domain is
checked by emulation.services, whose ValidationError the views put back on these forms. The lists' filter
forms are emulation.filters' FilterSets.
"""

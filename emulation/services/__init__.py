"""Writes of the emulation app (DOMAIN.md §8), one module per aggregate:

- `years`: blocs, bloc years and their members and roles;
- `registrations`: a member's registration (titles aimed for, covenant targets) and its submission;
- `scoring`: the scoring table, rounds, self scores, review, returning a card, closing and publishing a round;
- `awards`: movements, files (movement attachments, evidence), titles and eligibility rules, award decisions
  and the year-end review's proposals.

Callers import the module they need (`from emulation.services import scoring`, then
`scoring.scorecard_submit(...)`). Every write is keyword-only and atomic, checks emulation.access, validates
with full_clean() and leaves an audit record. Refusals are PermissionDenied (no right) or ValidationError
(a Vietnamese message naming what is wrong); nothing is saved when either is raised.
"""

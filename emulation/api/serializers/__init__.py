"""JSON shapes of the emulation API, one module per aggregate: `years` (bloc years), `registrations`,
`scoring` (tables, rounds, scorecards, rankings) and `awards` (movements, files, award decisions, titles,
eligibility, proposals), and the input fields with Vietnamese refusals they share (`fields`).

Serializers shape the output and validate the shape of the input only (and turn a card's criterion codes
into ids); every write goes through emulation.services, which checks the points and answers with
Vietnamese messages. Boards travel as their codes and criteria as their codes ("1.1"); points travel as
decimal strings ("9.75"), exactly as stored (two decimals), so no client rounds a quarter point through a float.
"""

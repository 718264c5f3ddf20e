"""Cohorts: people followed over time across linked records, and their outcomes against a matched
comparison group (docs/cohorts.md).

A floor above the measures, sources and warehouse, below the hub. Modules: `model` (cohorts and outcomes
as YAML rules), `linked` (person_links over the record tables), `members` (who is in a cohort and from
when), `covariates` (a person at their start), `matching` (the comparison group and its balance),
`survival` (Kaplan-Meier, risk difference, Cox), `follow` (person-time per outcome), `outcomes` (the
whole estimate) and `privacy` (what leaves as aggregates).
"""

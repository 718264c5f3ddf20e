"""The register's evidence from vrhub's own estimates: an intervention's participants followed against a
matched comparison (`vrhub cohort outcomes participants:<title>`), recorded as the intervention's evaluation
of one outcome, so "what works, and what doesn't and why" is filled from the data, not typed from memory.

The hazard ratio over the follow-up observed is the effect: one figure with its interval on a scale whose
null (1) the verdict reads. The outcome's title says how long the participants were followed, as the data
cover it ("followed up to 9 months (median 6)"), never the longest follow-up asked for when the data end
sooner. The evidence strength is the Youth Endowment Fund Toolkit's 1-5 scale; one local
matched comparison is an observational study of one programme, so vrhub proposes 2 ("low") and the person
recording may say otherwise (`--evidence-strength`).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from vrhub.errors import BadValue, VrhubError, one_of
from vrhub.web.delivery.audit import save_audited
from vrhub.web.delivery.models import Evaluation, Intervention

EVIDENCE_STRENGTH = 2
PARTICIPANTS = "participants:"


def intervention_named(title: str) -> Intervention:
    found = Intervention.objects.filter(title=title).first()
    if found is None:
        titles = sorted(Intervention.objects.values_list("title", flat=True))
        raise BadValue(
            f"no intervention called '{title}' in the register",
            one_of(titles) if titles else "Add the intervention to the register first.",
            parameter="intervention",
            value=title,
        )
    return found


def record_cohort_evaluation(
    hub: Any,
    intervention: Intervention,
    outcome: str = "offending",
    follow_up: str = "6,12,24",
    evidence_strength: int = EVIDENCE_STRENGTH,
    why: str = "",
    user: Any = None,
    today: dt.date | None = None,
) -> Evaluation:
    """Follow the intervention's participants (their cohort in the warehouse) against their matched
    comparison and record the hazard ratio of `outcome` as its evaluation. A second run for the same
    intervention and outcome replaces the figures of the first (the register keeps one, the newest)."""
    from vrhub.cohorts.matched import matched_words
    from vrhub.cohorts.outcomes import DEFAULT_SEED

    result = hub.cohort_outcomes(PARTICIPANTS + intervention.title, follow_up, seed=DEFAULT_SEED)
    rows = result.estimates[result.estimates["outcome"] == outcome]
    if rows.empty:
        raise BadValue(
            f"'{outcome}' is not an outcome vrhub follows",
            one_of(sorted(set(result.estimates["outcome"]))),
            parameter="outcome",
            value=outcome,
        )
    covered = rows[rows["follow_up_note"].isna()] if "follow_up_note" in rows else rows
    if covered.empty:
        raise VrhubError(
            f"no follow-up asked for ({follow_up} months) is covered by the data for {intervention.title}: "
            f"{rows.iloc[-1]['follow_up_note']}",
            "Ask for a follow-up within the one observed (--follow-up); nothing was recorded.",
            parameter="follow_up",
            value=follow_up,
        )
    last = covered.iloc[-1]
    hr, low, high = (last.get(k) for k in ("hazard_ratio", "hr_ci_low", "hr_ci_high"))
    if not all(_number(v) for v in (hr, low, high)):
        raise VrhubError(
            f"no hazard ratio for {intervention.title}: too few participants were matched to a comparison",
            "Link more people (vrhub link run) or wait for more participants; nothing was recorded.",
        )
    followed = observed_follow_up(last, max(result.follow_up))
    summary = result.summary
    records = result.estimates.to_dict("records")
    measured = (
        f"vrhub's matched comparison: {matched_words(summary, records, 'participants')} on age, sex, "
        f"borough and contacts in the 12 months before starting; hazard ratio "
        f"{hr:.2f} (95% CI {low:.2f} to {high:.2f}) over the follow-up observed: participants {followed}."
    )
    caveat = (
        " An observational design: people who joined may differ from their matches in ways the matching "
        "does not see, so this is low-strength evidence on its own."
    )
    title = f"{last['title']} after starting, {followed}"
    # One evaluation per outcome and design: an earlier run's title (another follow-up) is replaced.
    evaluation = Evaluation.objects.filter(
        intervention=intervention, outcome__startswith=f"{last['title']} ", design=Evaluation.Design.MATCHED
    ).first() or Evaluation(intervention=intervention, outcome=title, design=Evaluation.Design.MATCHED)
    evaluation.outcome = title
    evaluation.scale = Evaluation.Scale.RATIO
    evaluation.effect, evaluation.ci_low, evaluation.ci_high = float(hr), float(low), float(high)
    evaluation.lower_is_better = True  # every outcome vrhub follows is a harm
    evaluation.evidence_strength = evidence_strength
    evaluation.why = (why.strip() + "\n\n" if why.strip() else "") + measured + caveat
    evaluation.source = f"vrhub cohort outcomes {result.cohort} --follow-up {follow_up}"[:200]
    evaluation.evaluated_on = today or dt.date.today()
    return save_audited(evaluation, user=user, source="vrhub cohort outcomes")


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not (isinstance(v, float) and math.isnan(v))


def observed_follow_up(row: Any, asked: int) -> str:
    """'followed up to 9 months (median 6)': the participants' follow-up as the data cover it (whole
    months from their start to the end of the outcome's records), never beyond the longest asked for,
    which the hazard ratio stops at."""
    longest, median = row.get("cohort_longest_months"), row.get("cohort_median_months")
    if not (_number(longest) and _number(median)):
        return f"followed up to {asked} months at most"
    return f"followed up to {min(int(longest), asked)} months (median {min(int(median), asked)})"


def record_demo_evaluations(hub: Any) -> list[Evaluation]:
    """The demo: each register intervention whose participants the warehouse holds, evaluated on offending
    (the planted effects of synth/planted.py: one that works, one with none)."""
    cohorts = hub.cohorts()
    held = {str(n)[len(PARTICIPANTS) :] for n in cohorts["name"] if str(n).startswith(PARTICIPANTS)}
    return [
        record_cohort_evaluation(hub, intervention, follow_up="6,12,24", user="system:demo")
        for intervention in Intervention.objects.filter(title__in=held).order_by("title")
    ]

"""What works, and what does not and why: the register of evaluations, read from every intervention's."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from vrhub.web.accounts.access import role_required
from vrhub.web.delivery.models import Evaluation
from vrhub.web.delivery.views.common import READERS, twin

# The register's order: what works, then what did harm, then what showed no clear effect, then the rest.
SECTIONS = [
    (Evaluation.Verdict.WORKS, "What works"),
    (Evaluation.Verdict.HARM, "What did harm, and why"),
    (Evaluation.Verdict.NO_CLEAR_EFFECT, "What showed no clear effect, and why"),
    (Evaluation.Verdict.NOT_MEASURED, "Evaluated without an effect size"),
]


def effect_text(e: Evaluation) -> str:
    """The effect with its interval, written one way everywhere ('0.62 (95% CI 0.45 to 0.85)')."""
    if e.effect is None or e.ci_low is None or e.ci_high is None:
        return ""
    unit = "%" if e.scale == Evaluation.Scale.PERCENT else ""
    return f"{e.effect:,.2f}{unit} (95% CI {e.ci_low:,.2f}{unit} to {e.ci_high:,.2f}{unit})"


def evaluation_row(e: Evaluation) -> dict[str, Any]:
    return {
        "intervention": e.intervention.title,
        "intervention_id": e.intervention_id,
        "outcome": e.outcome,
        "verdict": e.get_verdict_display(),
        "effect": e.effect,
        "ci_low": e.ci_low,
        "ci_high": e.ci_high,
        "scale": e.get_scale_display(),
        "lower_is_better": e.lower_is_better,
        "design": e.get_design_display(),
        "evidence_strength": e.evidence_strength,
        "yef_approach": e.intervention.yef_approach.name if e.intervention.yef_approach else "",
        "what_we_learned": e.why,
        "source": e.source,
        "evaluated_on": e.evaluated_on.isoformat(),
    }


@role_required(*READERS)
def what_works(request: HttpRequest, fmt: str = "") -> HttpResponse:
    found = list(Evaluation.objects.select_related("intervention", "intervention__yef_approach"))
    # Stronger evidence first within each section: a reader skims the top of it.
    found.sort(key=lambda e: (-e.evidence_strength, e.intervention.title))
    sections: list[dict[str, Any]] = []
    for verdict, heading in SECTIONS:
        mine = [e for e in found if e.verdict == verdict]
        if mine:
            sections.append(
                {"heading": heading, "verdict": verdict, "items": [(e, effect_text(e)) for e in mine]}
            )
    rows = [evaluation_row(e) for s in sections for e, _ in s["items"]]
    context = {"sections": sections, "count": len(found)}
    return twin(request, fmt, "delivery/what_works.html", context, rows, "what-works")

"""What migration 0002 loads: the strategy's priorities and prevention tiers, the YEF Toolkit approaches
(field references section 6) and the partnership-wide logic model (the strategy's, in our own words).

Written against `apps.get_model` so the data migration runs on the historical models.
"""

from __future__ import annotations

from typing import Any

PRIORITIES = [
    (
        "early-years",
        "Early Years",
        "The first 1,000 days: parenting, school readiness, attachment and bonds.",
    ),
    ("education", "Education", "A whole-school approach to preventing violence and exploitation."),
    ("health", "Health", "Mental and physical health and wellbeing, and access to health services."),
    (
        "whole-family",
        "Whole Family Approach",
        "Supporting the family as a unit, including parents' own trauma and ACEs.",
    ),
    (
        "preventing-offending",
        "Preventing Offending",
        "Preventing offending at the earliest opportunity and reducing reoffending.",
    ),
]

TIERS = [
    ("primary", "Primary", "For everyone: stopping violence before it starts."),
    ("secondary", "Secondary", "For those at risk: early intervention."),
    ("tertiary", "Tertiary", "For those already involved: reducing harm and reoffending."),
]

# name, band, evidence strength (1-5; not captured, so None), note
YEF = [
    ("Focused deterrence", "high", None, "Large reductions, but tricky to implement."),
    ("Trauma-specific therapies", "high", None, ""),
    ("Cognitive Behavioural Therapy", "high", None, ""),
    ("Social skills training", "high", None, ""),
    ("A&E navigators", "high", None, "Thin evidence."),
    ("Sports programmes", "high", None, "Confidence low: few high-quality studies."),
    ("Mentoring", "moderate", None, "About 21% less violence, 14% less offending, 19% less reoffending."),
    ("Functional Family Therapy", "moderate", None, ""),
    ("Multi-Systemic Therapy", "moderate", None, ""),
    ("Hot spots policing", "moderate", None, "About 14% less violent crime."),
    ("Pre-court diversion", "moderate", None, ""),
    ("Restorative justice", "moderate", None, ""),
    (
        "Adventure and wilderness therapy",
        "low",
        None,
        "Moderate impact on reoffending; five low-quality studies.",
    ),
    ("CCTV", "low", None, ""),
    (
        "Anti-bullying programmes",
        "not_rated",
        None,
        "Bullying about 19% lower; no band for violence captured.",
    ),
    ("Police in schools", "no_clear_evidence", None, ""),
    ("Knife crime education programmes", "no_clear_evidence", None, ""),
    ("Arts programmes", "not_rated", None, "No studies testing the impact on violence."),
    ("'Shock' approaches", "harmful", None, "Trying to shock children away from violence can cause harm."),
]

# The partnership-wide logic model: stage -> [(text, measure id or "")], summarised from the strategy.
LOGIC_MODEL = {
    "activity": [
        ("Parenting programmes, early help and support in the first 1,000 days", ""),
        ("School-based mental health, mentoring and pastoral support", ""),
        ("Training for frontline staff in ACEs, trauma-informed practice and domestic abuse", ""),
        ("Navigators in emergency departments and custody", ""),
        ("Youth, sport and diversionary activities in hot spot areas", ""),
        ("Education, training and employment support to reduce NEET", ""),
        ("Restorative practice and targeted work with young people at risk of offending", ""),
    ],
    "output": [
        ("Families, young people and schools reached by each programme", ""),
        ("Professionals trained", "professionals_trained"),
        ("Schools with an intensive mentor", "mentoring_schools"),
        ("Referrals and contacts recorded by navigators and partners", ""),
        ("Community and young people's feedback gathered", "feedback_received"),
    ],
    "short_term": [
        ("More families and young people get mental health support", ""),
        ("Organisations know the pathways of support and the risk factors for violence", ""),
        ("Schools are better equipped to identify and support vulnerable pupils", ""),
        ("Fewer pupils absent from school", "local_absence_secondary"),
        ("Fewer permanent school exclusions", "local_permanent_exclusions"),
        ("Better identification of trends and hot spots to target resources", ""),
    ],
    "long_term": [
        ("Reduction in serious violence", "local_sv_offences"),
        ("Fewer hospital admissions for assault with a knife or sharp object", "ho_sharp_object_admissions"),
        ("Fewer young people not in education, employment or training", "local_neet_16_17"),
        ("Less reoffending by serious violence offenders", "local_sv_reoffenders"),
        ("People feel safe and connected in their communities", ""),
    ],
}


def load(apps: Any, schema_editor: Any = None) -> None:
    """Seed the lookups and the partnership logic model (adds what is missing; run by migration 0002)."""
    priority = apps.get_model("delivery", "StrategicPriority")
    tier = apps.get_model("delivery", "PreventionTier")
    yef = apps.get_model("delivery", "YefApproach")
    element = apps.get_model("delivery", "LogicModelElement")
    for order, (slug, name, description) in enumerate(PRIORITIES):
        priority.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
    for order, (slug, name, description) in enumerate(TIERS):
        tier.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
    for name, band, strength, note in YEF:
        yef.objects.get_or_create(
            name=name, defaults={"impact_band": band, "evidence_strength": strength, "note": note}
        )
    if element.objects.filter(intervention__isnull=True).exists():
        return
    made: dict[str, list[Any]] = {}
    for stage, rows in LOGIC_MODEL.items():
        made[stage] = [
            element.objects.create(stage=stage, text=text, measure_id=measure_id, order=order)
            for order, (text, measure_id) in enumerate(rows)
        ]
    # Arrows stage to stage: every box leads to every box of the next stage, as the strategy's diagram reads.
    stages = list(LOGIC_MODEL)
    for earlier, later in zip(stages, stages[1:], strict=False):
        for box in made[earlier]:
            box.leads_to.add(*made[later])


def unload(apps: Any, schema_editor: Any = None) -> None:
    apps.get_model("delivery", "LogicModelElement").objects.filter(intervention__isnull=True).delete()

"""Demo delivery data: a realistic programme as it might stand in mid-January 2022 (invented figures).

Interventions across all five priorities and three tiers, among them intensive mentoring in the eight
schools of the strategy's Table 2; a funding round whose awarded applications passed every gate with
recorded decisions and whose refused ones say why; milestones and KPIs of which some are beyond
tolerance (so exception reports are raised); quarterly updates with some missing; feedback with themes
and "you said, we did" responses; case studies; scrutiny panels per priority; CPD sessions.
Deterministic: the same records every time, and loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from vrhub.web.accounts.models import Organisation, Profile, Role
from vrhub.web.delivery.audit import audit
from vrhub.web.delivery.models import (
    Application,
    CaseStudy,
    DeliverySite,
    Feedback,
    FeedbackTheme,
    FundingRound,
    Intervention,
    Kpi,
    KpiValue,
    LogicModelElement,
    Milestone,
    PanelMeeting,
    PanelMember,
    PreventionTier,
    QuarterlyUpdate,
    Recommendation,
    Risk,
    ScrutinyPanel,
    StrategicPriority,
    TrainingAttendance,
    TrainingSession,
    YefApproach,
)
from vrhub.web.delivery.tracking import raise_exceptions

ROUND_TITLE = "Violence Prevention Fund 2021/22"
KNOWSLEY, LIVERPOOL, ST_HELENS, SEFTON, WIRRAL = (
    "E08000011",
    "E08000012",
    "E08000013",
    "E08000014",
    "E08000015",
)
ALL = [KNOWSLEY, LIVERPOOL, SEFTON, ST_HELENS, WIRRAL]

ORGANISATIONS = {
    "vrp": ("Merseyside Violence Reduction Partnership", Organisation.Kind.VRP),
    "police": ("Merseyside Police", Organisation.Kind.POLICE),
    "ed": ("Merseyside Emergency Departments (ISTV)", Organisation.Kind.HEALTH),
    "liverpool": ("Liverpool City Council", Organisation.Kind.COUNCIL),
    "knowsley": ("Knowsley Council", Organisation.Kind.COUNCIL),
    "sefton": ("Sefton Council", Organisation.Kind.COUNCIL),
    "probation": ("Merseyside Youth Justice and Probation", Organisation.Kind.PROBATION),
    "families": ("Family Support Network Merseyside", Organisation.Kind.VCS),
    "mentors": ("Schools Mentoring Trust", Organisation.Kind.VCS),
    "sport": ("Merseyside Community Sport", Organisation.Kind.VCS),
    "schools": ("Merseyside Schools Partnership", Organisation.Kind.EDUCATION),
}

SCHOOLS = [  # the eight schools with an intensive mentor (Table 2: n=8)
    ("Kirkby High School", KNOWSLEY),
    ("Huyton Academy", KNOWSLEY),
    ("Anfield Community School", LIVERPOOL),
    ("Speke Secondary School", LIVERPOOL),
    ("Norris Green Academy", LIVERPOOL),
    ("Bootle High School", SEFTON),
    ("Parr Secondary School", ST_HELENS),
    ("Birkenhead Park Academy", WIRRAL),
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _manager() -> User:
    user, created = User.objects.get_or_create(username="manager")
    if created:
        user.set_unusable_password()  # `vrhub serve --demo-users` gives it a password
        user.save()
    Profile.objects.get_or_create(
        user=user,
        defaults={
            "role": Role.PROGRAMME_MANAGER,
            "organisation": Organisation.objects.get(name=ORGANISATIONS["vrp"][0]),
        },
    )
    return user


class _Demo:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.orgs = {
            key: Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
            for key, (name, kind) in ORGANISATIONS.items()
        }
        self.user = _manager()
        self.priority = {p.slug: p for p in StrategicPriority.objects.all()}
        self.tier = {t.slug: t for t in PreventionTier.objects.all()}
        self.yef = {y.name: y for y in YefApproach.objects.all()}
        self.round = FundingRound.objects.create(
            title=ROUND_TITLE,
            description="An open call for projects under the five strategic priorities, 2021 to 2023.",
            opens=dt.date(2021, 4, 1),
            closes=dt.date(2021, 5, 31),
            budget=Decimal("1200000"),
            published=True,
        )
        audit("create", self.round, user=self.user)

    # -- funding -------------------------------------------------------------------------------------------
    def application(self, org: str, title: str, priority: str, tier: str, **fields: Any) -> Application:
        app = Application.objects.create(
            funding_round=self.round,
            organisation=self.orgs[org],
            title=title,
            priority=self.priority[priority],
            tier=self.tier[tier],
            created_at=_at(dt.date(2021, 5, 20)),
            **fields,
        )
        audit("create", app, user=self.user)
        return app

    def gates(self, app: Application, rationale: str) -> None:
        app.sustainability_plan_text = (
            "Year 2 co-funded by the council; the model is embedded in partners' budgets from year 3."
        )
        app.terms_of_reference_agreed = True
        app.terms_of_reference_agreed_on = dt.date(2021, 6, 28)
        app.terms_of_reference_agreed_by = "MVRP Director and the lead organisation's chief executive"
        app.vawg_review = "Reviewed for misogyny, gender-based violence and attitudes to women and girls."
        app.vawg_reviewed_by = "MVRP VAWG lead"
        app.vawg_reviewed_on = dt.date(2021, 6, 21)
        app.evidence_rationale = rationale
        app.save()

    def awarded(self, app: Application, amount: str, start_delivery: bool = True) -> Intervention:
        u = self.user
        app.submit(u, "Submitted before the round closed.")
        app.assess(u, "Scored by the assessment panel against the strategy's priorities.")
        app.approve(u, "Recommended by the panel; fits the strategic needs assessment.")
        app.award(
            u, "Steering group approved; all conditions met.", amount=Decimal(amount), on=dt.date(2021, 7, 5)
        )
        if start_delivery:
            app.activate(u, "Contract signed; delivery starts.")
        for d, day in zip(app.decisions.order_by("pk"), [14, 21, 28, 35, 60], strict=False):
            d.at = _at(dt.date(2021, 6, 1) + dt.timedelta(days=day))
            d.save(update_fields=["at"])
        assert app.intervention is not None
        return app.intervention

    # -- interventions -------------------------------------------------------------------------------------
    def intervention(self, **fields: Any) -> Intervention:
        partners = fields.pop("partners", [])
        i = Intervention.objects.create(**fields)
        i.partner_organisations.set([self.orgs[p] for p in partners])
        audit("create", i, user=self.user)
        return i

    def fill(self, i: Intervention, **fields: Any) -> Intervention:
        partners = fields.pop("partners", [])
        for name, value in fields.items():
            setattr(i, name, value)
        i.save()
        i.partner_organisations.set([self.orgs[p] for p in partners])
        audit("update", i, user=self.user)
        return i

    def kpi(
        self, i: Intervention, name: str, unit: str, target: int, values: dict[str, int], **kw: Any
    ) -> Kpi:
        k = Kpi.objects.create(intervention=i, name=name, unit=unit, target=Decimal(target), **kw)
        for quarter, actual in values.items():
            KpiValue.objects.create(kpi=k, quarter=quarter, actual=Decimal(actual))
        return k

    def updates(self, i: Intervention, quarter: str, spend: dict[str, int], day: dt.date) -> None:
        for org, amount in spend.items():
            QuarterlyUpdate.objects.create(
                intervention=i,
                organisation=self.orgs[org],
                quarter=quarter,
                narrative=f"{i.title}: delivery on plan for {quarter}; see the KPIs for numbers reached.",
                spend_to_date=Decimal(amount),
                # Reach in proportion to spend, a third of it with a mental-health intervention.
                young_people_supported=amount // 2000,
                young_people_mental_health=amount // 6000,
                submitted_by=self.user,
                submitted_at=_at(day),
            )


def load_demo_delivery(today: dt.date = dt.date(2022, 1, 15)) -> dict[str, int]:
    """Load the demo delivery records (once) and raise the exception reports due on `today`."""
    if FundingRound.objects.filter(title=ROUND_TITLE).exists():
        return {"loaded": 0, "exception_reports": 0}
    with transaction.atomic():
        d = _Demo(today)
        _programme(d)
        _voice(d)
        raised = raise_exceptions(today, user=d.user)
    return {"loaded": 1, "exception_reports": len(raised), "interventions": Intervention.objects.count()}


def _programme(d: _Demo) -> None:
    o = d.orgs
    # Early Years, primary: awarded through the open round.
    app = d.application(
        "families",
        "First 1,000 Days parenting programme",
        "early-years",
        "primary",
        summary="Group and home-visiting support for parents in the first 1,000 days of a child's life.",
        boroughs=[KNOWSLEY, LIVERPOOL],
        age_group="0-2 and parents",
        amount_requested=Decimal("185000"),
        planned_start=dt.date(2021, 9, 1),
        planned_end=dt.date(2022, 12, 31),
    )
    d.gates(
        app,
        "Parenting programmes in the first years protect against later violence.",
    )
    early = d.awarded(app, "180000")
    d.fill(
        early,
        partners=["knowsley", "liverpool"],
        theory_of_change="Secure attachment and confident parents "
        "reduce ACEs, which reduces the risk of later violence.",
        short_term_measures=[],
        long_term_measures=["local_sv_offences"],
    )
    Milestone.objects.create(
        intervention=early,
        title="Parenting groups running in Knowsley",
        due_date=dt.date(2021, 12, 31),
        tolerance_days=30,
        status="in_progress",
    )
    Milestone.objects.create(
        intervention=early,
        title="Practitioners trained",
        due_date=dt.date(2021, 10, 15),
        status="complete",
        completed_date=dt.date(2021, 10, 12),
    )
    d.kpi(early, "Families completing the programme", "families", 60, {"2021-Q3": 50, "2021-Q4": 56})
    d.updates(
        early, "2021-Q3", {"families": 21000, "knowsley": 4000, "liverpool": 3500}, dt.date(2021, 10, 8)
    )
    d.updates(
        early, "2021-Q4", {"families": 52000, "knowsley": 9000}, dt.date(2022, 1, 10)
    )  # Liverpool missing

    # Education, secondary: intensive mentors in eight schools (Table 2).
    app = d.application(
        "mentors",
        "Intensive mentoring in schools",
        "education",
        "secondary",
        summary="A full-time intensive mentor in each of eight secondary schools for pupils on the cusp of "
        "permanent exclusion.",
        boroughs=ALL,
        age_group="11-16",
        yef_approach=d.yef["Mentoring"],
        amount_requested=Decimal("240000"),
        planned_start=dt.date(2021, 9, 1),
        planned_end=dt.date(2022, 7, 31),
    )
    d.gates(app, "The YEF Toolkit rates mentoring as moderate impact: about 21% less violence.")
    mentoring = d.awarded(app, "240000")
    d.fill(
        mentoring,
        partners=["schools"],
        short_term_measures=["local_permanent_exclusions", "mentoring_schools"],
        long_term_measures=["local_sv_offences"],
        theory_of_change="A trusted adult keeps pupils in school; inclusion protects against exploitation.",
    )
    for name, borough in SCHOOLS:
        DeliverySite.objects.create(
            intervention=mentoring,
            name=name,
            kind="school",
            borough=borough,
            intensive_mentor=True,
            started_on=dt.date(2021, 9, 6),
        )
    Milestone.objects.create(
        intervention=mentoring,
        title="All eight mentors in post",
        due_date=dt.date(2021, 10, 31),
        status="complete",
        completed_date=dt.date(2021, 10, 20),
    )
    # Overdue beyond its 14 days' tolerance on 15 January 2022: raises an exception report.
    Milestone.objects.create(
        intervention=mentoring,
        title="Referral pathway agreed with every school",
        due_date=dt.date(2021, 11, 15),
        tolerance_days=14,
        status="in_progress",
    )
    d.kpi(mentoring, "Pupils mentored", "pupils", 160, {"2021-Q3": 40, "2021-Q4": 95})
    d.kpi(
        mentoring,
        "Mentored pupils permanently excluded",
        "pupils",
        4,
        {"2021-Q4": 1},
        direction=Kpi.Direction.LOWER,
        tolerance_pct=Decimal(50),
    )
    d.updates(mentoring, "2021-Q3", {"mentors": 48000, "schools": 0}, dt.date(2021, 10, 5))
    d.updates(
        mentoring, "2021-Q4", {"mentors": 101000}, dt.date(2022, 1, 12)
    )  # the schools' update is missing
    Risk.objects.create(
        intervention=mentoring,
        description="A mentor leaves mid-year and the post is vacant",
        likelihood=3,
        impact=4,
        owner="Schools Mentoring Trust",
        mitigation="A relief mentor shared across the Liverpool schools.",
    )

    # Health, tertiary: commissioned directly (Home Office core grant), not through the round.
    navigators = d.intervention(
        title="A&E navigators",
        description="Youth workers in emergency departments who meet young people "
        "after an assault and offer support.",
        priority=d.priority["health"],
        tier=d.tier["tertiary"],
        lead_organisation=o["ed"],
        partners=["police"],
        boroughs=[LIVERPOOL, WIRRAL],
        age_group="11-25",
        yef_approach=d.yef["A&E navigators"],
        start_date=dt.date(2020, 4, 1),
        end_date=dt.date(2022, 3, 31),
        budget=Decimal("300000"),
        status="active",
        short_term_measures=["ed_assault_attendances"],
        long_term_measures=["ho_knife_admissions_u25"],
        theory_of_change="A reachable moment after injury opens a route out of violence.",
    )
    Milestone.objects.create(
        intervention=navigators,
        title="Interim evaluation report",
        due_date=dt.date(2021, 12, 1),
        tolerance_days=21,
        status="in_progress",
    )
    # Falling engagement: the forecast for 2022-Q1 (110) is below the 10% tolerance (135): an exception.
    d.kpi(
        navigators,
        "Young people engaged after an assault",
        "young people",
        150,
        {"2021-Q1": 150, "2021-Q2": 140, "2021-Q3": 130, "2021-Q4": 120},
    )
    d.updates(navigators, "2021-Q4", {"ed": 228000, "police": 0}, dt.date(2022, 1, 7))

    # Whole Family Approach, secondary: awarded through the round.
    app = d.application(
        "families",
        "Whole family support for children of prisoners",
        "whole-family",
        "secondary",
        summary="Family keyworkers for households where a parent is in prison.",
        boroughs=[SEFTON, ST_HELENS],
        age_group="5-17 and parents",
        yef_approach=d.yef["Functional Family Therapy"],
        amount_requested=Decimal("150000"),
        planned_start=dt.date(2021, 10, 1),
        planned_end=dt.date(2023, 3, 31),
    )
    d.gates(app, "Family therapy approaches are rated moderate impact by the YEF Toolkit.")
    family = d.awarded(app, "140000")
    d.fill(family, partners=["sefton", "probation"])
    Milestone.objects.create(
        intervention=family,
        title="Keyworkers recruited",
        due_date=dt.date(2021, 11, 30),
        status="complete",
        completed_date=dt.date(2021, 11, 26),
    )
    d.kpi(family, "Families supported", "families", 40, {"2021-Q4": 38})
    d.updates(family, "2021-Q4", {"families": 17000, "sefton": 2000, "probation": 0}, dt.date(2022, 1, 11))

    # Preventing Offending, tertiary: commissioned directly.
    custody = d.intervention(
        title="Custody navigators and pre-court diversion",
        description="Navigators in custody suites offer "
        "young people a diversion route instead of prosecution where the offence allows.",
        priority=d.priority["preventing-offending"],
        tier=d.tier["tertiary"],
        lead_organisation=o["police"],
        partners=["probation"],
        boroughs=ALL,
        age_group="10-25",
        yef_approach=d.yef["Pre-court diversion"],
        start_date=dt.date(2021, 4, 1),
        end_date=dt.date(2023, 3, 31),
        budget=Decimal("260000"),
        status="active",
        long_term_measures=["local_sv_reoffenders"],
    )
    d.kpi(custody, "Young people diverted", "young people", 80, {"2021-Q2": 70, "2021-Q3": 78, "2021-Q4": 85})
    Milestone.objects.create(
        intervention=custody,
        title="Diversion panel meeting weekly",
        due_date=dt.date(2022, 2, 28),
        status="in_progress",
    )
    d.updates(custody, "2021-Q4", {"police": 96000, "probation": 21000}, dt.date(2022, 1, 6))

    # Education, primary: commissioned directly.
    tis = d.intervention(
        title="Trauma-informed schools",
        description="Whole-school training in trauma-informed practice.",
        priority=d.priority["education"],
        tier=d.tier["primary"],
        lead_organisation=o["schools"],
        partners=["sefton"],
        boroughs=[SEFTON, ST_HELENS],
        age_group="4-16",
        start_date=dt.date(2021, 9, 1),
        end_date=dt.date(2022, 8, 31),
        budget=Decimal("90000"),
        status="active",
        short_term_measures=["local_absence_primary", "local_absence_secondary"],
    )
    d.kpi(tis, "Schools with every member of staff trained", "schools", 30, {"2021-Q3": 6, "2021-Q4": 14})
    d.updates(tis, "2021-Q4", {"schools": 41000, "sefton": 0}, dt.date(2022, 1, 14))

    # Preventing Offending, primary: awarded, delivered and closed.
    app = d.application(
        "sport",
        "Summer sports diversion in hot spot areas",
        "preventing-offending",
        "primary",
        summary="Evening football and boxing sessions in the summer holidays in four hot spot areas.",
        boroughs=[LIVERPOOL, KNOWSLEY],
        age_group="10-17",
        yef_approach=d.yef["Sports programmes"],
        amount_requested=Decimal("60000"),
        planned_start=dt.date(2021, 7, 19),
        planned_end=dt.date(2021, 9, 3),
    )
    d.gates(app, "Sports programmes are rated high impact by the YEF Toolkit, with low confidence.")
    sport = d.awarded(app, "55000")
    app.close(d.user, "Delivered; end-of-programme report received.")
    sport.refresh_from_db()
    d.updates(sport, "2021-Q3", {"sport": 54200}, dt.date(2021, 10, 1))

    # Health, secondary: planned, not yet begun (approved, award waiting for its terms of reference).
    app = d.application(
        "liverpool",
        "Youth mental health drop-ins",
        "health",
        "secondary",
        summary="Weekly drop-ins with a mental health practitioner in three youth clubs.",
        boroughs=[LIVERPOOL],
        age_group="13-19",
        yef_approach=d.yef["Cognitive Behavioural Therapy"],
        amount_requested=Decimal("75000"),
        sustainability_plan_text="Funded by the council's public health budget from April 2023.",
        evidence_rationale="CBT is rated high impact by the YEF Toolkit.",
        vawg_review="Sessions cover healthy relationships.",
        vawg_reviewed_by="MVRP VAWG lead",
        vawg_reviewed_on=dt.date(2021, 11, 2),
    )
    app.submit(d.user, "Submitted.")
    app.assess(d.user, "Assessed.")
    app.approve(d.user, "Approved subject to agreed terms of reference.")

    # Refused: no evidence of effect, and evidence of harm.
    refused = d.application(
        "sport",
        "Knife crime awareness assemblies",
        "education",
        "primary",
        summary="One-off assemblies about the consequences of carrying a knife.",
        boroughs=[WIRRAL],
        age_group="11-16",
        yef_approach=d.yef["Knife crime education programmes"],
        amount_requested=Decimal("20000"),
    )
    refused.submit(d.user, "Submitted.")
    refused.assess(d.user, "Assessed.")
    refused.refuse(
        d.user, "The YEF Toolkit finds no clear evidence that knife crime education reduces violence."
    )
    harmful = d.application(
        "sport",
        "Prison visits for young people at risk",
        "preventing-offending",
        "secondary",
        summary="Visits to a prison to show young people the consequences of offending.",
        boroughs=[SEFTON],
        age_group="13-17",
        yef_approach=d.yef["'Shock' approaches"],
        amount_requested=Decimal("15000"),
    )
    harmful.submit(d.user, "Submitted.")
    harmful.refuse(d.user, "'Shock' approaches can cause harm (YEF Toolkit).")
    d.application(
        "families",
        "Parent peer support groups",
        "whole-family",
        "primary",
        summary="Draft: peer groups led by parents.",
        boroughs=[WIRRAL],
        amount_requested=Decimal("30000"),
    )

    # A logic model for the mentoring intervention.
    stages = [
        ("activity", "An intensive mentor works with each referred pupil weekly", ""),
        ("output", "Pupils mentored; schools with a mentor", "mentoring_schools"),
        ("short_term", "Fewer permanent exclusions among mentored pupils", "local_permanent_exclusions"),
        ("long_term", "Less serious violence among young people", "local_sv_offences"),
    ]
    boxes = [
        LogicModelElement.objects.create(intervention=mentoring, stage=s, text=t, measure_id=m)
        for s, t, m in stages
    ]
    for earlier, later in zip(boxes, boxes[1:], strict=False):
        earlier.link_to(later)


def _voice(d: _Demo) -> None:
    themes = {
        n: FeedbackTheme.objects.get_or_create(name=n)[0]
        for n in [
            "Safe spaces",
            "Trusted adults",
            "Waiting times",
            "Youth provision",
            "Mental health support",
        ]
    }
    feedback = [
        (
            "There's nowhere to go at night that isn't the street.",
            "young_person",
            dt.date(2021, 10, 14),
            ["Safe spaces", "Youth provision"],
            "We funded evening sessions in two youth clubs in Kirkby.",
        ),
        (
            "My mentor is the only adult at school who listens.",
            "young_person",
            dt.date(2021, 11, 3),
            ["Trusted adults"],
            "",
        ),
        (
            "Waiting three months for CAMHS is too long for a teenager in crisis.",
            "community",
            dt.date(2021, 11, 22),
            ["Waiting times", "Mental health support"],
            "We raised it with the ICS and are piloting drop-ins while young people wait.",
        ),
        (
            "Teachers need to understand what trauma looks like in the classroom.",
            "professional",
            dt.date(2021, 12, 6),
            ["Trusted adults"],
            "Trauma-informed training is now offered to every school.",
        ),
        (
            "The park lights have been out for weeks and people don't feel safe.",
            "community",
            dt.date(2021, 12, 15),
            ["Safe spaces"],
            "",
        ),
        (
            "Please pay young people for the time we give you.",
            "young_person",
            dt.date(2022, 1, 6),
            ["Youth provision"],
            "",
        ),
    ]
    for text, source, day, names, response in feedback:
        # Recorded by the programme manager in the demo's story, so approved.
        f = Feedback.objects.create(
            text=text,
            source=source,
            approved=True,
            received_on=day,
            response=response,
            responded_on=day + dt.timedelta(days=21) if response else None,
        )
        f.themes.set([themes[n] for n in names])
    stories = [
        (
            "Back in class",
            "A Year 10 pupil at risk of exclusion now attends every day after weekly mentoring.",
            True,
            True,
            "education",
            "secondary",
            dt.date(2021, 12, 2),
        ),
        (
            "A mum's first group",
            "A young mother describes how the parenting group helped her bond with her baby.",
            True,
            True,
            "early-years",
            "primary",
            dt.date(2021, 11, 18),
        ),
        (
            "After the ED",
            "A young man met by a navigator after a stabbing is now in training.",
            False,
            False,
            "health",
            "tertiary",
            dt.date(2022, 1, 12),
        ),
    ]
    for title, story, consent, anonymised, priority, tier, day in stories:
        c = CaseStudy.objects.create(
            title=title,
            story=story,
            consent_recorded=consent,
            consent_date=day if consent else None,
            anonymised=anonymised,
            recorded_on=day,
            published=consent and anonymised,
        )
        c.priorities.set([d.priority[priority]])
        c.tiers.set([d.tier[tier]])
    for p in StrategicPriority.objects.all():
        panel = ScrutinyPanel.objects.create(
            priority=p,
            name=f"{p.name} scrutiny panel",
            description=f"Service users of {p.name.lower()} services.",
        )
        for name, role in [
            ("Panel chair", "chair"),
            ("Parent member", "parent"),
            ("Young member", "young person"),
        ]:
            PanelMember.objects.create(
                panel=panel, name=f"{name} ({p.name})", role=role, joined_on=dt.date(2021, 9, 1)
            )
        meeting = PanelMeeting.objects.create(
            panel=panel,
            date=dt.date(2021, 11, 10) + dt.timedelta(days=p.order),
            notes="Reviewed the quarter's delivery and feedback.",
        )
        Recommendation.objects.create(
            meeting=meeting,
            text=f"Ask service users of {p.name.lower()} services "
            "how they felt afterwards, not only whether they attended.",
            response="Agreed: added to every project's feedback form.",
            status="accepted",
        )
        Recommendation.objects.create(meeting=meeting, text="Publish what changed because of the panel.")
    sessions = [
        (
            "aces",
            "ACEs awareness for frontline officers",
            dt.date(2021, 10, 12),
            {"police": 25, "liverpool": 18},
        ),
        (
            "trauma_informed",
            "Trauma-informed practice in schools",
            dt.date(2021, 11, 9),
            {"schools": 30, "sport": 12},
        ),
        ("neurodiversity", "Neurodiversity and behaviour", dt.date(2021, 12, 7), {"ed": 14, "police": 9}),
        ("aces", "ACEs awareness for council staff", dt.date(2022, 1, 11), {"knowsley": 20}),
    ]
    for topic, title, day, attendance in sessions:
        s = TrainingSession.objects.create(
            topic=topic, title=title, date=day, delivered_by="MVRP training team"
        )
        for org, count in attendance.items():
            TrainingAttendance.objects.create(session=s, organisation=d.orgs[org], count=count)

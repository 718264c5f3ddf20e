"""The cohort pages (aggregates under the small-number rules, for every signed-in role), the analyst's
audited person-level view of a cohort, and the linkage quality page (analysts and administrators).

Every figure comes from the Hub, as `vrhub cohort outcomes` and `vrhub link quality` give it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vrhub.cohorts.matched import matched_range
from vrhub.cohorts.model import PARTICIPANTS
from vrhub.errors import VrhubError
from vrhub.reports import charts
from vrhub.reports.disclosure import SUPPRESSED
from vrhub.web import figures
from vrhub.web.accounts.access import role_of, role_required
from vrhub.web.accounts.audit import record
from vrhub.web.accounts.models import Role
from vrhub.web.dashboard import cohort_chart, cohort_data, downloads
from vrhub.web.dashboard.errors import shows_errors

PERSON_LEVEL_ROLES = (Role.ANALYST,)
LINKAGE_ROLES = (Role.ADMIN, Role.ANALYST)
MEMBERS_SHOWN = 500  # rows on the page; the CSV holds them all
AUDIT_ACTION = "cohort.person_level_view"
COLUMNS = ["name", "kind", "title", "source", "members", "description"]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and value == value else None


def pct(value: Any) -> str:
    """A published proportion as whole percentage points; '*' where hidden, '-' where there is none."""
    if value == SUPPRESSED:
        return SUPPRESSED
    v = _number(value)
    return "-" if v is None else f"{100 * v:.0f}%"


def interval(low: Any, high: Any, scale: str = "pct") -> str:
    if SUPPRESSED in (low, high):
        return SUPPRESSED
    lo, hi = _number(low), _number(high)
    if lo is None or hi is None:
        return "-"
    return f"{pct(lo)} to {pct(hi)}" if scale == "pct" else f"{lo:.2f} to {hi:.2f}"


def ratio(value: Any) -> str:
    if value == SUPPRESSED:
        return SUPPRESSED
    v = _number(value)
    return "-" if v is None else f"{v:.2f}"


def count(value: Any) -> str:
    if value == SUPPRESSED or value is None:
        return value or "-"
    v = _number(value)
    return "-" if v is None else f"{v:,.0f}"


# -- the list -----------------------------------------------------------------------------------------------
@role_required()
@shows_errors
def cohorts(request: HttpRequest, fmt: str = "") -> HttpResponse:
    rows = [{c: r.get(c) for c in COLUMNS} for r in cohort_data.cohorts()]
    if fmt == "json":
        return HttpResponse(
            json.dumps({"count": len(rows), "results": rows}, default=str, indent=1),
            content_type="application/json; charset=utf-8",
        )
    if fmt == "csv":
        return downloads.csv_response(pd.DataFrame(rows, columns=COLUMNS), "cohorts.csv")
    shown = [{**r, "members_shown": count(r["members"])} for r in rows]
    return render(request, "dashboard/cohorts.html", {"cohorts": shown})


# -- one cohort ---------------------------------------------------------------------------------------------
def _estimate_row(r: dict[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {"months": r["follow_up_months"], "suppressed": bool(r.get("suppressed"))}
    for g in cohort_chart.GROUPS:
        shown[g] = {
            "people": count(r.get(f"{g}_people")),
            "with_outcome": count(r.get(f"{g}_with_outcome")),
            "proportion": pct(r.get(f"{g}_proportion")),
            "ci": interval(r.get(f"{g}_ci_low"), r.get(f"{g}_ci_high")),
        }
    shown["risk_difference"] = pct(r.get("risk_difference"))
    shown["rd_ci"] = interval(r.get("rd_ci_low"), r.get("rd_ci_high"))
    shown["note"] = r.get("follow_up_note") or ""  # why a follow-up past the data has no figures
    return shown


def _followed(r: dict[str, Any]) -> str:
    """'up to 9 months (median 6)' for the cohort and its comparison, as published ('*' where hidden)."""
    parts = []
    for g, label in (("cohort", "the cohort"), ("comparison", "the comparison")):
        longest, median = r.get(f"{g}_longest_months"), r.get(f"{g}_median_months")
        if longest is None:
            continue
        if SUPPRESSED in (longest, median):
            parts.append(f"{label} {SUPPRESSED}")
        else:
            parts.append(f"{label} up to {longest:.0f} months (median {median:.0f})")
    return " and ".join(parts)


SHARES = ("cohort", "comparison_before", "cohort_matched", "comparison_after")


def _balance_row(r: dict[str, Any]) -> dict[str, Any]:
    # A level's share is a percentage; the contacts' mean is a number of contacts.
    share = pct if r["covariate"] != "contacts_12m" else ratio
    return {
        "covariate": r["covariate"].replace("_12m", " (12 months before)").replace("_", " "),
        "level": r["level"],
        **{k: share(r.get(k)) for k in SHARES},
        "smd_before": ratio(r.get("smd_before")),
        "smd_after": ratio(r.get("smd_after")),
    }


def _cohort_context(name: str, months: tuple[int, ...]) -> dict[str, Any]:
    result = cohort_data.outcomes(name, months)
    rows = cohort_data.records(result.estimates)
    outcomes = []
    for outcome in dict.fromkeys(r["outcome"] for r in rows):
        mine = [r for r in rows if r["outcome"] == outcome]
        asked = [r for r in mine if r["follow_up_months"] in months]
        # The hazard ratio is one per outcome, given on every follow-up the data cover and none past them.
        covered = [r for r in mine if not r.get("follow_up_note")]
        longest = covered[-1] if covered else mine[-1]
        outcomes.append(
            {
                "name": outcome,
                "title": mine[0]["title"],
                "chart": cohort_chart.curve_svg(mine, f"{mine[0]['title']}: % with the outcome by month"),
                "curve": [_estimate_row(r) for r in mine],
                "estimates": [_estimate_row(r) for r in asked],
                "hazard_ratio": ratio(longest.get("hazard_ratio")),
                "hr_ci": interval(longest.get("hr_ci_low"), longest.get("hr_ci_high"), scale="ratio"),
                "followed": _followed(mine[0]),
                "beyond": any(r.get("follow_up_note") for r in asked),
            }
        )
    balance = [_balance_row(r) for r in cohort_data.records(result.balance)]
    summary = result.summary
    matched = matched_range(summary, rows)
    if matched:
        # The cohort's people at each horizon are the matched members, hidden with them.
        for o in outcomes:
            for r in [*o["estimates"], *o["curve"]]:
                if r["cohort"]["people"] == SUPPRESSED:
                    r["cohort"]["people"] = matched
    return {
        "name": name,
        "title": result.title,
        "months": months,
        "follow_up": ",".join(map(str, months)),
        "summary": {k: count(summary.get(k)) for k in ("members", "matched", "comparison_pool")},
        "matched_range": matched,
        "label": summary.get("cohort_label", name),
        "kind": _kind(name),
        "data_ends": {
            k.removeprefix("data_end_"): v for k, v in summary.items() if k.startswith("data_end_") and v
        },
        "outcomes": outcomes,
        "balance": balance,
        "notes": result.notes,
    }


def _kind(name: str) -> str:
    """The cohort's kind as people say it (its versioned label is the definition's, shown apart)."""
    return "Participants of an intervention" if name.startswith(PARTICIPANTS) else "Cohort defined by a rule"


def _asked(result_rows: list[dict[str, Any]], months: tuple[int, ...]) -> list[dict[str, Any]]:
    return [r for r in result_rows if r["follow_up_months"] in months]


@role_required()
@shows_errors
def cohort(request: HttpRequest, name: str, fmt: str = "") -> HttpResponse:
    months = cohort_data.follow_up(request.GET.get("follow_up"))
    if fmt:
        result = cohort_data.outcomes(name, months)
        rows = _asked(cohort_data.records(result.estimates), months)
        if fmt == "csv":
            return downloads.csv_response(pd.DataFrame(rows), f"cohort-{_file_name(name)}.csv")
        body = {**result.as_json(), "follow_up_months": list(months), "estimates": rows}
        return HttpResponse(
            json.dumps(body, default=str, indent=1), content_type="application/json; charset=utf-8"
        )
    context = figures.cached(("page", "cohort", name, months), lambda: _cohort_context(name, months))
    context = {
        **context,
        "may_see_people": role_of(request.user) in PERSON_LEVEL_ROLES,
        "query": request.GET.urlencode(),
    }
    return render(request, "dashboard/cohort.html", context)


def _file_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)


# -- the analyst's person-level view ------------------------------------------------------------------------
def _member_rows(people: pd.DataFrame) -> list[dict[str, Any]]:
    """Each person analysed for each outcome: pseudonymous id, group, pair, start, and the date of their
    first outcome (or the date they were followed to)."""
    if "outcome" not in people:
        people = people.assign(outcome=None, event=0, time=float("nan"))
    start = pd.to_datetime(people["start_date"])
    reached = start + pd.to_timedelta(people["time"].fillna(0), unit="D")
    frame = pd.DataFrame(
        {
            "person_id": people["person_id"],
            "group": people["group"],
            "pair": people["pair"],
            "start_date": start.dt.date,
            "outcome": people["outcome"],
            "outcome_date": reached.dt.date.where(people["event"] == 1, None),
            "followed_to": reached.dt.date.where(people["event"] != 1, None),
        }
    ).sort_values(["outcome", "group", "pair", "person_id"], kind="stable")
    return cohort_data.records(frame)


@role_required()
@shows_errors
def members(request: HttpRequest, name: str, fmt: str = "") -> HttpResponse:
    role = role_of(request.user)
    if role not in PERSON_LEVEL_ROLES:
        record(
            request,
            "access_denied",
            object_type="cohort",
            object_id=name[:60],
            view="cohort_members",
            role=role or "",
        )
        raise PermissionDenied("Only analysts see a cohort's people, and every view is audited.")
    months = cohort_data.follow_up(request.GET.get("follow_up"))
    result = cohort_data.person_level(name, months)
    rows = _member_rows(result.people if result.people is not None else pd.DataFrame())
    # The audit says what the analyst saw: the page shows the first rows only, the CSV every row.
    shown = rows if fmt == "csv" else rows[:MEMBERS_SHOWN]
    record(
        request,
        AUDIT_ACTION,
        object_type="cohort",
        object_id=name[:60],
        cohort=name,
        follow_up=list(months),
        rows_shown=len(shown),
        rows_total=len(rows),
        people_shown=len({r["person_id"] for r in shown}),
        people_total=len({r["person_id"] for r in rows}),
        format=fmt or "html",
    )
    if fmt == "csv":
        columns = ["person_id", "group", "pair", "start_date", "outcome", "outcome_date", "followed_to"]
        return downloads.csv_response(
            pd.DataFrame(rows, columns=columns), f"cohort-{_file_name(name)}-people.csv"
        )
    context = {
        "name": name,
        "title": result.title,
        "follow_up": ",".join(map(str, months)),
        "rows": shown,
        "total": len(rows),
        "shown": len(shown),
        "query": request.GET.urlencode(),
    }
    return render(request, "dashboard/cohort_members.html", context)


# -- linkage quality ----------------------------------------------------------------------------------------
def _linkage_context() -> dict[str, Any]:
    try:
        quality = cohort_data.link_quality()
        runs = cohort_data.link_runs()
    except VrhubError as exc:
        return {"missing": exc}
    bands = [
        {
            "band": f"{b['match_weight_from']} to {b['match_weight_to']}",
            "from": b["match_weight_from"],
            "to": b["match_weight_to"],
            "pairs": b["pairs"],
            "linked": b["linked"],
        }
        for b in quality.match_weights
    ]
    chart = None
    if bands:
        frame = pd.DataFrame(bands).assign(
            decision=lambda f: f["linked"].map({True: "linked", False: "not linked"})
        )
        chart = charts.histogram(
            frame, "from", "to", "pairs", "Scored pairs by match weight", "Match weight", colour="decision"
        )
    shown_runs = [
        {
            "at": _when(r["at"]),
            "user": r["user"],
            **{
                k: r["detail"].get(k)
                for k in (
                    "run_id",
                    "engine",
                    "mode",
                    "records",
                    "new_records",
                    "people",
                    "pairs_linked",
                    "threshold",
                    "seconds",
                )
            },
        }
        for r in runs
    ]
    return {
        "missing": None,
        "run": {**quality.run, "at": _when(quality.run["at"])},
        "people": quality.people,
        "estimated": quality.estimated,
        "bands": bands,
        "chart": chart,
        "runs": shown_runs,
        "notes": quality.notes,
    }


def _when(text: str) -> str:
    try:
        return dt.datetime.fromisoformat(text).strftime("%d %B %Y %H:%M")
    except (TypeError, ValueError):
        return str(text)


@role_required(*LINKAGE_ROLES)
def linkage(request: HttpRequest) -> HttpResponse:
    context = figures.cached(("page", "linkage"), _linkage_context)
    return render(request, "dashboard/linkage.html", context)

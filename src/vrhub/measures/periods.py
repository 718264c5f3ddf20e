"""Period labels: `2019` (calendar year), `2019/20` (financial or academic year from April or September),
`2019-Q2` and `2019-06`. Measures compare each period with the one before and with the same period of the
baseline year, so a quarter is compared with the same quarter, keeping seasons apart."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from vrhub.errors import BadValue

if TYPE_CHECKING:  # pandas loads in `labels` alone: the quarter arithmetic is needed where pandas is not
    import pandas as pd

KINDS = ("year", "financial-year", "quarter", "month")


def labels(kind: str, months: pd.Series) -> pd.Series:
    """Label each first-of-month date with its period."""
    import pandas as pd

    months = pd.to_datetime(months)
    year, month = months.dt.year, months.dt.month
    if kind == "year":
        return year.astype(str)
    if kind == "financial-year":
        start = year.where(month >= 4, year - 1)
        return start.astype(str) + "/" + ((start + 1) % 100).astype(str).str.zfill(2)
    if kind == "quarter":
        return year.astype(str) + "-Q" + ((month - 1) // 3 + 1).astype(str)
    if kind == "month":
        return year.astype(str) + "-" + month.astype(str).str.zfill(2)
    raise ValueError(kind)


def months_in(kind: str) -> int:
    return {"year": 12, "financial-year": 12, "quarter": 3, "month": 1}[kind]


def kind_of(label: str) -> str | None:
    if re.fullmatch(r"\d{4}", label):
        return "year"
    if re.fullmatch(r"\d{4}/\d{2}", label):
        return "financial-year"
    if re.fullmatch(r"\d{4}-Q[1-4]", label):
        return "quarter"
    if re.fullmatch(r"\d{4}-\d{2}", label):
        return "month"
    return None


def year_of(label: str) -> int:
    return int(label[:4])


def shift(label: str, years: int = 0, steps: int = 0) -> str:
    """The label `years` years and `steps` periods away (a step is one period of the label's kind)."""
    kind = kind_of(label)
    year = year_of(label) + years
    if kind == "year":
        return str(year + steps)
    if kind == "financial-year":
        start = year + steps
        return f"{start}/{(start + 1) % 100:02d}"
    if kind == "quarter":
        index = year * 4 + int(label[-1]) - 1 + steps
        return f"{index // 4}-Q{index % 4 + 1}"
    if kind == "month":
        index = year * 12 + int(label[5:7]) - 1 + steps
        return f"{index // 12}-{index % 12 + 1:02d}"
    raise ValueError(label)


def previous(label: str) -> str:
    return shift(label, steps=-1)


def in_baseline_year(label: str, baseline: int) -> str:
    return shift(label, years=baseline - year_of(label))


# Calendar quarters as plain dates, for what counts by quarter outside the warehouse (delivery's quarterly
# updates, KPIs and steering group packs): the same labels as the measures' quarters.


def quarter_of(day: dt.date) -> str:
    """The calendar quarter a day falls in, e.g. 2021-Q4."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_index(label: str) -> int:
    """Quarters counted from year 0, so two labels' difference is the number of quarters between them."""
    if kind_of(label or "") != "quarter":
        raise BadValue(
            f"'{label}' is not a quarter", "Write it as 2021-Q4.", parameter="quarter", value=label
        )
    return year_of(label) * 4 + int(label[-1]) - 1


def quarter_label(index: int) -> str:
    """The quarter `index` quarters after the first of year 0: quarter_label(quarter_index(q)) == q."""
    return f"{index // 4}-Q{index % 4 + 1}"


def quarter_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar quarter such as 2021-Q4."""
    index = quarter_index(label)
    start = dt.date(index // 4, index % 4 * 3 + 1, 1)
    following = dt.date((index + 1) // 4, (index + 1) % 4 * 3 + 1, 1)
    return start, following - dt.timedelta(days=1)

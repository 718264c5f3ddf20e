"""Delivery models (one module per area; all importable from here)."""

from vrhub.web.delivery.models.funding import (
    Application,
    AwardRefused,
    Decision,
    FundingRound,
    GateNotMet,
    TransitionRefused,
)
from vrhub.web.delivery.models.learning import Evaluation
from vrhub.web.delivery.models.programme import (
    DeliverySite,
    Intervention,
    LogicModelElement,
    PreventionTier,
    StrategicPriority,
    YefApproach,
)
from vrhub.web.delivery.models.tracker import (
    ExceptionReport,
    Kpi,
    KpiValue,
    Milestone,
    QuarterlyUpdate,
    Rag,
    Risk,
)
from vrhub.web.delivery.models.voice import (
    CaseStudy,
    Feedback,
    FeedbackTheme,
    PanelMeeting,
    PanelMember,
    Recommendation,
    ScrutinyPanel,
    TrainingAttendance,
    TrainingSession,
)

__all__ = [
    "Application",
    "AwardRefused",
    "CaseStudy",
    "Decision",
    "DeliverySite",
    "Evaluation",
    "ExceptionReport",
    "Feedback",
    "FeedbackTheme",
    "FundingRound",
    "GateNotMet",
    "Intervention",
    "Kpi",
    "KpiValue",
    "LogicModelElement",
    "Milestone",
    "PanelMeeting",
    "PanelMember",
    "PreventionTier",
    "QuarterlyUpdate",
    "Rag",
    "Recommendation",
    "Risk",
    "ScrutinyPanel",
    "StrategicPriority",
    "TrainingAttendance",
    "TrainingSession",
    "TransitionRefused",
    "YefApproach",
]

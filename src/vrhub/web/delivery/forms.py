"""Delivery forms, drawn with GOV.UK Frontend's classes (delivery/_field.html) and an error summary.

The model's own checks run on every save (full_clean through save_audited), so a form cannot store what
the model refuses; the award gates are the model's too: the award form only shows what it says.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms

from vrhub.web.accounts.access import organisation_of
from vrhub.web.accounts.models import Organisation
from vrhub.web.delivery.models import (
    Application,
    CaseStudy,
    Feedback,
    FundingRound,
    Intervention,
    Kpi,
    KpiValue,
    LogicModelElement,
    Milestone,
    PanelMeeting,
    PanelMember,
    QuarterlyUpdate,
    Recommendation,
    Risk,
    ScrutinyPanel,
    TrainingAttendance,
    TrainingSession,
)
from vrhub.web.delivery.reference import borough_choices, measure_titles, validate_quarter

DATE_HINT = "For example, 2022-03-31"
MULTIPLE = (forms.CheckboxSelectMultiple, forms.RadioSelect)


ISO_DATE = "%Y-%m-%d"


def field_words(field: forms.Field) -> tuple[str, bool]:
    """The field's name as a sentence uses it ('Likelihood (1 to 5)' -> 'likelihood'), and whether it is
    money (a label ending '(£)')."""
    label = str(field.label or "this field")
    money = "(£)" in label
    words = re.sub(r"\s*\([^)]*\)", "", label).strip() or label
    # Lower the first letter unless the first word is an acronym (KPI, YEF, VAWG).
    first = words.split(" ", 1)[0]
    if not (len(first) > 1 and first.isupper()):
        words = words[0].lower() + words[1:]
    return words, money


def name_errors(field: forms.Field) -> None:
    """Replace Django's generic messages ('Enter a valid date.', 'Ensure this value is less than or equal to
    5.') with GOV.UK ones naming the field; messages a form sets itself are kept."""
    words, money = field_words(field)
    capital = words[0].upper() + words[1:]
    defaults: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    ours: dict[str, str] = {}
    if isinstance(field, forms.DateField):
        ours["invalid"] = f"Enter the {words} as a real date, for example 2022-03-31"
        ours["required"] = f"Enter the {words}"
    elif isinstance(field, forms.DecimalField | forms.IntegerField):
        unit = "£" if money else ""
        ours["invalid"] = f"Enter the {words} as a number" + (", in pounds" if money else "")
        ours["required"] = f"Enter the {words}"
        ours["min_value"] = f"{capital} must be {unit}%(limit_value)s or more"
        fewer = "fewer" if isinstance(field, forms.IntegerField) else "less"
        ours["max_value"] = f"{capital} must be {unit}%(limit_value)s or {fewer}"
        ours["max_digits"] = f"{capital} must have no more than %(max)s digits"
        ours["max_decimal_places"] = f"{capital} must have no more than %(max)s decimal places"
        ours["max_whole_digits"] = f"{capital} must have no more than %(max)s digits before the point"
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        ours["required"] = f"Select the {words}"
    else:
        ours["required"] = f"Enter the {words}"
    for code, message in ours.items():
        current = field.error_messages.get(code)
        if current is None or current == defaults.get(code):
            field.error_messages[code] = message


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A form's choice field, typed as one, so its choices can be set."""
    return cast(forms.ChoiceField, form.fields[name])


def model_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's model choice field, typed as one, so its queryset and blank label can be set."""
    return cast(forms.ModelChoiceField, form.fields[name])


def measure_choices(blank: bool = False) -> list[tuple[str, str]]:
    titles = measure_titles()
    found = sorted(((i, f"{t} ({i})") for i, t in titles.items()), key=lambda c: c[1].lower())
    return [("", "None")] + found if blank else found


class GovukForm:
    """Gives each widget GOV.UK Frontend's classes and marks fields in error after validation."""

    CLASSES = {
        "textarea": "govuk-textarea",
        "select": "govuk-select",
        "checkboxselectmultiple": "govuk-checkboxes__input",
        "radioselect": "govuk-radios__input",
        "checkbox": "govuk-checkboxes__input",
        "file": "govuk-file-upload",
        "clearablefile": "govuk-file-upload",
    }
    ERROR_CLASSES = {
        "govuk-input": "govuk-input--error",
        "govuk-textarea": "govuk-textarea--error",
        "govuk-select": "govuk-select--error",
        "govuk-file-upload": "govuk-file-upload--error",
    }
    fields: dict[str, forms.Field]
    errors: Any

    def style(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            kind = widget.__class__.__name__.lower().removesuffix("input").removesuffix("widget")
            kind = {"selectmultiple": "select", "textinput": "text"}.get(kind, kind)
            css = self.CLASSES.get(kind, "govuk-input")
            if css == "govuk-input":
                width = widget.attrs.pop("width", None)
                if isinstance(field, forms.DateField):
                    width = width or "govuk-input--width-10"
                    field.help_text = field.help_text or DATE_HINT
                elif isinstance(field, forms.DecimalField | forms.IntegerField):
                    width = width or "govuk-input--width-10"
                    widget.input_type = "text"
                    widget.attrs["inputmode"] = "decimal"
                css = f"{css} {width}" if width else css
            widget.attrs["class"] = css
            if field.help_text and not isinstance(widget, MULTIPLE):
                widget.attrs["aria-describedby"] = f"id_{name}-hint"
            if isinstance(field, forms.DateField):
                # Pre-filled as the hint writes dates, not in the locale's 06/12/2026.
                widget.format = ISO_DATE  # type: ignore[attr-defined]
            name_errors(field)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            css = widget.attrs.get("class", "")
            extra = self.ERROR_CLASSES.get(css.split(" ")[0])
            if extra:
                widget.attrs["class"] = f"{css} {extra}"
            if not isinstance(widget, MULTIPLE):
                described = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = f"{described} id_{name}-error".strip()

    def anchor(self, name: str) -> str:
        if name not in self.fields:
            name = next(iter(self.fields))
        return f"id_{name}_0" if isinstance(self.fields[name].widget, MULTIPLE) else f"id_{name}"

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary, in field order."""
        order = [*self.fields, "__all__"]
        found = sorted(self.errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)
        return [(self.anchor(name), str(m)) for name, messages in found for m in messages]


class StyledModelForm(GovukForm, forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class StyledForm(GovukForm, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


def _checkboxes(choices: Any, label: str, help_text: str = "", required: bool = False) -> forms.Field:
    return forms.MultipleChoiceField(
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        label=label,
        help_text=help_text,
    )


# -- programme -----------------------------------------------------------------------------------------------
class InterventionForm(StyledModelForm):
    boroughs = _checkboxes(borough_choices, "Boroughs served")
    short_term_measures = _checkboxes([], "Short-term measures it serves")
    long_term_measures = _checkboxes([], "Longer-term measures it serves")

    class Meta:
        model = Intervention
        fields = [
            "title",
            "description",
            "priority",
            "tier",
            "lead_organisation",
            "partner_organisations",
            "boroughs",
            "age_group",
            "yef_approach",
            "start_date",
            "end_date",
            "budget",
            "status",
            "theory_of_change",
            "short_term_measures",
            "long_term_measures",
        ]
        labels = {"yef_approach": "YEF Toolkit approach", "budget": "Budget (£)"}
        widgets = {
            "partner_organisations": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "theory_of_change": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title": {"required": "Enter the intervention's title"},
            "priority": {"required": "Select the strategic priority"},
            "tier": {"required": "Select the prevention tier"},
            "lead_organisation": {"required": "Select the lead organisation"},
        }

    def __init__(self, *args: Any, user: Any = None, editor: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = measure_choices()
        choice_field(self, "short_term_measures").choices = choices
        choice_field(self, "long_term_measures").choices = choices
        self.fields["partner_organisations"].help_text = "Each one owes a quarterly update."
        if not editor:
            # A partner leads only as their own organisation (or keeps the lead it already has).
            own = organisation_of(user)
            keep = [own.pk] if own else []
            if self.instance.pk:
                keep.append(self.instance.lead_organisation_id)
            model_field(self, "lead_organisation").queryset = Organisation.objects.filter(pk__in=keep)
            model_field(self, "lead_organisation").empty_label = None


class LogicElementForm(StyledModelForm):
    measure_id = forms.ChoiceField(
        required=False, label="Measure showing this outcome", help_text="Outcomes only."
    )

    class Meta:
        model = LogicModelElement
        fields = ["stage", "text", "measure_id", "leads_to", "order"]
        labels = {"text": "What it says", "leads_to": "Leads to", "order": "Position in its column"}
        widgets = {"leads_to": forms.CheckboxSelectMultiple, "stage": forms.RadioSelect}
        error_messages = {"text": {"required": "Enter what the box says"}}

    def __init__(self, *args: Any, intervention: Intervention | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.intervention = intervention
        choice_field(self, "stage").choices = LogicModelElement.Stage.choices  # radios: no blank "---------"
        choice_field(self, "measure_id").choices = measure_choices(blank=True)
        later = LogicModelElement.objects.filter(intervention=intervention).exclude(stage="activity")
        if self.instance.pk:
            later = later.exclude(pk=self.instance.pk)
        model_field(self, "leads_to").queryset = later
        self.fields["leads_to"].required = False
        self.fields["leads_to"].help_text = "Boxes of a later stage this one leads to."
        self.fields["order"].required = False

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        stage = data.get("stage")
        if stage in LogicModelElement.STAGE_ORDER:
            rank = LogicModelElement.STAGE_ORDER.index(stage)
            wrong = [
                e for e in data.get("leads_to") or [] if LogicModelElement.STAGE_ORDER.index(e.stage) <= rank
            ]
            if wrong:
                self.add_error("leads_to", "A box leads only to boxes of a later stage.")
        return data


# -- funding -------------------------------------------------------------------------------------------------
class FundingRoundForm(StyledModelForm):
    class Meta:
        model = FundingRound
        fields = ["title", "description", "opens", "closes", "budget", "published"]
        labels = {"budget": "Budget (£)", "published": "Published as an open call"}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "title": {"required": "Enter the round's title"},
            "opens": {"required": "Enter the date the round opens"},
            "closes": {"required": "Enter the date the round closes"},
            "budget": {"required": "Enter the round's budget"},
        }


class PlanUpload:
    """A sustainability plan is a document people open: a document type, and a size an email would carry."""

    PLAN_TYPES = ("pdf", "doc", "docx", "odt", "rtf", "txt", "xlsx", "ods")
    PLAN_MAX_BYTES = 20 * 1024 * 1024

    def clean_sustainability_plan(self) -> Any:
        plan = self.cleaned_data.get("sustainability_plan")  # type: ignore[attr-defined]
        if plan and getattr(plan, "size", None) is not None and hasattr(plan, "content_type"):
            suffix = plan.name.rsplit(".", 1)[-1].lower() if "." in plan.name else ""
            if suffix not in self.PLAN_TYPES:
                raise forms.ValidationError(
                    f"The sustainability plan must be a document ({', '.join(self.PLAN_TYPES)})."
                )
            if plan.size > self.PLAN_MAX_BYTES:
                raise forms.ValidationError("The sustainability plan must be smaller than 20 MB.")
        return plan


class ApplicationForm(PlanUpload, StyledModelForm):
    boroughs = _checkboxes(borough_choices, "Boroughs served")

    class Meta:
        model = Application
        fields = [
            "funding_round",
            "organisation",
            "title",
            "summary",
            "priority",
            "tier",
            "boroughs",
            "age_group",
            "yef_approach",
            "amount_requested",
            "planned_start",
            "planned_end",
            "sustainability_plan",
            "sustainability_plan_text",
            "evidence_rationale",
        ]
        labels = {
            "yef_approach": "YEF Toolkit approach",
            "amount_requested": "Amount requested (£)",
            "sustainability_plan": "Sustainability plan (file)",
            "sustainability_plan_text": "Sustainability plan (or write it here)",
            "evidence_rationale": "Evidence rationale",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "sustainability_plan": forms.FileInput,
            "sustainability_plan_text": forms.Textarea(attrs={"rows": 4}),
            "evidence_rationale": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "sustainability_plan_text": "How the work continues when this funding ends.",
            "evidence_rationale": "Why this approach should work, for example its YEF Toolkit rating.",
        }
        error_messages = {
            "title": {"required": "Enter the application's title"},
            "summary": {"required": "Enter a summary of the work"},
            "priority": {"required": "Select the strategic priority"},
            "tier": {"required": "Select the prevention tier"},
            "amount_requested": {
                "required": "Enter the amount requested",
                "invalid": "Enter an amount in pounds",
            },
        }

    def __init__(self, *args: Any, user: Any = None, editor: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editor:
            own = organisation_of(user)
            mine = Organisation.objects.filter(pk=own.pk) if own else Organisation.objects.none()
            model_field(self, "organisation").queryset = mine
            model_field(self, "organisation").empty_label = None
            model_field(self, "funding_round").queryset = FundingRound.objects.filter(published=True)


class GatesForm(PlanUpload, StyledModelForm):
    """The four award gates, recorded by the programme manager."""

    class Meta:
        model = Application
        fields = [
            "sustainability_plan",
            "sustainability_plan_text",
            "terms_of_reference_agreed",
            "terms_of_reference_agreed_on",
            "terms_of_reference_agreed_by",
            "vawg_review",
            "vawg_reviewed_by",
            "vawg_reviewed_on",
            "evidence_rationale",
        ]
        labels = {
            "sustainability_plan": "Sustainability plan (file)",
            "sustainability_plan_text": "Sustainability plan (or write it here)",
            "terms_of_reference_agreed": "Terms of reference are agreed",
            "terms_of_reference_agreed_on": "Date the terms of reference were agreed",
            "terms_of_reference_agreed_by": "Who agreed the terms of reference",
            "vawg_review": "VAWG and domestic abuse themes review",
            "vawg_reviewed_by": "Who reviewed it",
            "vawg_reviewed_on": "Date of the review",
            "evidence_rationale": "Evidence rationale",
        }
        widgets = {
            "sustainability_plan": forms.FileInput,
            "sustainability_plan_text": forms.Textarea(attrs={"rows": 3}),
            "vawg_review": forms.Textarea(attrs={"rows": 3}),
            "evidence_rationale": forms.Textarea(attrs={"rows": 3}),
        }


class DecisionForm(StyledForm):
    why = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Recorded with your name and the time; required to approve, award or refuse.",
    )


class AwardForm(DecisionForm):
    amount = forms.DecimalField(
        label="Amount awarded (£)",
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        error_messages={"required": "Enter the amount awarded", "invalid": "Enter an amount in pounds"},
    )
    awarded_on = forms.DateField(label="Date of the award", required=False)
    over_budget_approval = forms.CharField(
        label="Approval to exceed the round's budget",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when this award takes the round over its budget: who approved it, and why. "
        "It is recorded with the award.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model refuses an award without a reason; the label should not call it optional.
        self.fields["why"].required = True
        self.fields["why"].error_messages["required"] = "Give the reason for the decision to award"

    field_order = ["amount", "awarded_on", "why", "over_budget_approval"]


# -- the action tracker --------------------------------------------------------------------------------------
class MilestoneForm(StyledModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "tolerance_days", "status", "completed_date"]
        labels = {"tolerance_days": "Tolerance (days late before an exception report)"}
        error_messages = {
            "title": {"required": "Enter the milestone"},
            "due_date": {"required": "Enter the due date"},
        }


class KpiForm(StyledModelForm):
    measure_id = forms.ChoiceField(required=False, label="Measure it feeds")

    class Meta:
        model = Kpi
        fields = ["name", "unit", "baseline", "target", "tolerance_pct", "direction", "measure_id"]
        labels = {"tolerance_pct": "Tolerance (%)", "name": "KPI"}
        widgets = {"direction": forms.RadioSelect}
        error_messages = {"name": {"required": "Enter the KPI"}, "target": {"required": "Enter the target"}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "measure_id").choices = measure_choices(blank=True)


class KpiValueForm(StyledModelForm):
    class Meta:
        model = KpiValue
        fields = ["quarter", "actual", "note"]
        labels = {"actual": "Value in the quarter"}
        widgets = {
            "quarter": forms.TextInput(attrs={"width": "govuk-input--width-10"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class RiskForm(StyledModelForm):
    class Meta:
        model = Risk
        fields = ["description", "likelihood", "impact", "owner", "mitigation", "status"]
        labels = {"likelihood": "Likelihood (1 to 5)", "impact": "Impact (1 to 5)"}
        error_messages = {
            "description": {"required": "Describe the risk"},
            "likelihood": {
                "required": "Enter the risk's likelihood, from 1 to 5",
                "invalid": "Enter the risk's likelihood as a whole number from 1 to 5",
                "min_value": "Risk likelihood must be 1 or more",
                "max_value": "Risk likelihood must be 5 or fewer",
            },
            "impact": {
                "required": "Enter the risk's impact, from 1 to 5",
                "invalid": "Enter the risk's impact as a whole number from 1 to 5",
                "min_value": "Risk impact must be 1 or more",
                "max_value": "Risk impact must be 5 or fewer",
            },
            "owner": {"required": "Enter who owns the risk"},
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
        }


class ResolveForm(StyledForm):
    decision = forms.CharField(
        label="Decision of the steering group",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Record the decision that resolves this exception report"},
    )


class QuarterlyUpdateForm(StyledModelForm):
    class Meta:
        model = QuarterlyUpdate
        fields = [
            "organisation",
            "quarter",
            "narrative",
            "spend_to_date",
            "young_people_supported",
            "young_people_mental_health",
        ]
        labels = {
            "spend_to_date": "Spend to date (£)",
            "narrative": "Progress this quarter",
            "young_people_supported": "Young people worked with this quarter",
            "young_people_mental_health": "Of those, young people given a mental-health intervention",
        }
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 6}),
            "quarter": forms.TextInput(attrs={"width": "govuk-input--width-10"}),
        }
        error_messages = {"narrative": {"required": "Describe the progress this quarter"}}

    def __init__(
        self, *args: Any, intervention: Intervention, user: Any, editor: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.intervention = intervention
        for counted in ("young_people_supported", "young_people_mental_health"):
            self.fields[counted].required = False  # left empty: none this quarter
        ids = [o.pk for o in intervention.organisations()]
        if not editor:
            own = organisation_of(user)
            ids = [own.pk] if own and own.pk in ids else []
        model_field(self, "organisation").queryset = Organisation.objects.filter(pk__in=ids)
        model_field(self, "organisation").empty_label = None
        self.fields["quarter"].help_text = "For example, 2021-Q4"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        quarter, org = data.get("quarter"), data.get("organisation")
        if quarter and org:
            clash = QuarterlyUpdate.objects.filter(
                intervention=self.instance.intervention, organisation=org, quarter=quarter
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("quarter", f"{org} has already sent its update for {quarter}")
        return data

    def validate_unique(self) -> None:
        """Not Django's generic message: the clash is reported on the quarter field above, in words."""

    def clean_young_people_supported(self) -> int:
        return self.cleaned_data.get("young_people_supported") or 0

    def clean_young_people_mental_health(self) -> int:
        return self.cleaned_data.get("young_people_mental_health") or 0


class PackForm(StyledForm):
    quarter = forms.CharField(label="Quarter", help_text="For example, 2021-Q4", max_length=7)

    def clean_quarter(self) -> str:
        value = self.cleaned_data["quarter"].strip().upper()
        validate_quarter(value)
        return value


# -- voice and learning --------------------------------------------------------------------------------------
class CaseStudyForm(StyledModelForm):
    class Meta:
        model = CaseStudy
        fields = [
            "title",
            "story",
            "intervention",
            "consent_recorded",
            "consent_date",
            "anonymised",
            "priorities",
            "tiers",
            "recorded_on",
            "published",
        ]
        widgets = {
            "story": forms.Textarea(attrs={"rows": 6}),
            "priorities": forms.CheckboxSelectMultiple,
            "tiers": forms.CheckboxSelectMultiple,
        }


class FeedbackForm(StyledModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "source").choices = Feedback.Source.choices

    class Meta:
        model = Feedback
        fields = ["text", "source", "received_on", "intervention", "priority", "themes"]
        labels = {"text": "Feedback"}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "source": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
        }


class PublicFeedbackForm(StyledModelForm):
    """What anyone may tell the partnership, anonymously if they wish."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "source").choices = Feedback.Source.choices  # radios: no blank "---------"

    class Meta:
        model = Feedback
        # No name: feedback is anonymous, and a name kept in clear would be a personal identifier.
        fields = ["text", "source"]
        labels = {"text": "What would you like to tell us?", "source": "Are you"}
        help_texts = {"text": "Do not include your name or contact details."}
        widgets = {"text": forms.Textarea(attrs={"rows": 6}), "source": forms.RadioSelect}
        error_messages = {
            "text": {"required": "Enter your feedback"},
            "source": {"required": "Select who you are"},
        }


class RespondForm(StyledForm):
    response = forms.CharField(
        label="You said, we did: what was done",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the response: what was done about this feedback"},
    )


class PanelForm(StyledModelForm):
    class Meta:
        model = ScrutinyPanel
        fields = ["priority", "name", "description"]
        labels = {"priority": "Strategic theme"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PanelMemberForm(StyledModelForm):
    class Meta:
        model = PanelMember
        fields = ["name", "role", "joined_on"]


class PanelMeetingForm(StyledModelForm):
    class Meta:
        model = PanelMeeting
        fields = ["date", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class RecommendationForm(StyledModelForm):
    class Meta:
        model = Recommendation
        fields = ["text", "status", "response"]
        labels = {"text": "Recommendation", "response": "Response to the panel"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "response": forms.Textarea(attrs={"rows": 3})}


class TrainingSessionForm(StyledModelForm):
    class Meta:
        model = TrainingSession
        fields = ["topic", "title", "date", "delivered_by", "priority"]


class AttendanceForm(StyledModelForm):
    class Meta:
        model = TrainingAttendance
        fields = ["organisation", "count"]
        labels = {"count": "People attending"}

    def __init__(self, *args: Any, session: TrainingSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.session = session

    def validate_unique(self) -> None:
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error("organisation", "This organisation's attendance is already recorded")

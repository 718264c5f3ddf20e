"""The upload form: a source, of those the person may upload (access.uploadable_sources: their
organisation's record sources; reference data too for analysts and admins), and one CSV file under the size
limit."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.conf import settings

from vrhub.web.accounts.access import uploadable_sources
from vrhub.web.uploads.models import SOURCE_CHOICES


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.0f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def choices_for(user: Any) -> list[tuple[str, str]]:
    allowed = set(uploadable_sources(user))
    return [(name, title) for name, title in SOURCE_CHOICES if name in allowed]


class UploadForm(forms.Form):
    source = forms.ChoiceField(
        widget=forms.RadioSelect, error_messages={"required": "Select the kind of data in the file"}
    )
    file = forms.FileField(
        error_messages={
            "required": "Select a CSV file to upload",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read: choose it again",
        }
    )
    year = forms.IntegerField(
        required=False,
        min_value=1990,
        max_value=2100,
        error_messages={
            "invalid": "Year must be a number, like 2020",
            "min_value": "Year must be 1990 or later",
            "max_value": "Year must be 2100 or earlier",
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["source"]).choices = choices_for(user)
        self.fields["source"].error_messages["invalid_choice"] = "Select one of the kinds of data listed"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.VRHUB_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The selected file must be smaller than {human_size(limit)}")
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV file (ending .csv)")
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        unnamed_year = upload is not None and not re.search(r"(19|20)\d\d", upload.name or "")
        if data.get("source") == "population" and not data.get("year") and unnamed_year:
            self.add_error("year", "Enter the mid-year of the estimates: the file name does not say")
        return data

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) for GOV.UK's error summary, in the order the fields appear."""
        ids = {"source": "source", "file": "file", "year": "year", "__all__": "file"}
        return [
            (ids.get(name, name), str(message)) for name, errors in self.errors.items() for message in errors
        ]

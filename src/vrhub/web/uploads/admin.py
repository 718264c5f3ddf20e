"""Uploads in the admin: read-only, since a row records what a load did (changing it would not change the
warehouse); uploads are made through /uploads/new/."""

from __future__ import annotations

from django.contrib import admin

from vrhub.web.readonly_admin import ReadOnlyAdmin
from vrhub.web.uploads.models import Upload


@admin.register(Upload)
class UploadAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "original_name",
        "source",
        "organisation",
        "uploaded_by",
        "status",
        "created",
        "rows_loaded",
        "rows_quarantined",
        "duplicates_skipped",
    )
    list_filter = ("status", "source", "organisation")
    search_fields = ("original_name", "sha256")
    date_hierarchy = "created"
    readonly_fields = [f.name for f in Upload._meta.fields]

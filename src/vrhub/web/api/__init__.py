"""The open JSON API (django-ninja) with its OpenAPI spec."""

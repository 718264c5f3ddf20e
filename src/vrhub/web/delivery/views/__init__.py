"""Delivery pages, one module per area (programme, funding, tracker, voice, public)."""

"""Partner data uploads, ingested by a background worker, with their validation reports."""

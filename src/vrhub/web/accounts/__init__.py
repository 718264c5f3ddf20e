"""People, their organisations and roles, what each role may see, and the audit log."""

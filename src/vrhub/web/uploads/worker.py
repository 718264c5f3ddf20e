"""Placeholder: replaced by the upload worker."""


def resume() -> None:
    return None

"""`manage api_token create USERNAME NAME` prints a new key once; `revoke PREFIX` and `list [USERNAME]`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vrhub.web.accounts.audit import record
from vrhub.web.api.models import ApiToken


class Command(BaseCommand):
    help = "Create, list and revoke API tokens. A token's key is printed once, when it is created."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a token for a user and print its key once.")
        create.add_argument("username")
        create.add_argument("name", help="What the token is for, e.g. 'nightly extract'.")
        revoke = actions.add_parser("revoke", help="Revoke a token, named by the prefix `list` shows.")
        revoke.add_argument("prefix")
        listing = actions.add_parser("list", help="List tokens (prefixes only; keys are never stored).")
        listing.add_argument("username", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        User = get_user_model()  # noqa: N806
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"no user named '{options['username']}'") from None
        if not user.is_active:
            raise CommandError(f"user '{user.get_username()}' is inactive; activate them first")
        token, key = ApiToken.issue(user, options["name"])
        record(None, "api_token_created", token, user=user, name=token.name)
        self.stdout.write(key)
        self.stderr.write(
            f"Token {token.prefix}... '{token.name}' for {user.get_username()}. The key above is shown once "
            "and not stored: keep it safe. Send it as 'Authorization: Bearer <key>'."
        )

    def _revoke(self, options: dict[str, Any]) -> None:
        matches = list(ApiToken.objects.filter(prefix=options["prefix"]))
        if len(matches) != 1:
            raise CommandError(
                f"{'no' if not matches else len(matches)} tokens with prefix '{options['prefix']}'; "
                "`api_token list` shows each token's prefix"
            )
        token = matches[0]
        if token.revoked is not None:
            self.stdout.write(f"{token.prefix} was already revoked at {token.revoked:%Y-%m-%d %H:%M}")
            return
        token.revoke()
        record(None, "api_token_revoked", token, user=token.user, name=token.name)
        self.stdout.write(f"revoked {token.prefix} '{token.name}' ({token.user.get_username()})")

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user")
        if options.get("username"):
            tokens = tokens.filter(user__username=options["username"])
        for t in tokens:
            state = f"revoked {t.revoked:%Y-%m-%d}" if t.revoked else "active"
            used = f"{t.last_used:%Y-%m-%d %H:%M}" if t.last_used else "never"
            self.stdout.write(f"{t.prefix}\t{t.user.get_username()}\t{t.name}\t{state}\tlast used {used}")

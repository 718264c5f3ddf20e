"""Create the demo's organisations and one user per role, and print their passwords (demo only)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from vrhub.web.accounts.models import Organisation, Profile, Role

ORGANISATIONS = [
    ("Merseyside Police", Organisation.Kind.POLICE),
    ("Merseyside Emergency Departments (ISTV)", Organisation.Kind.HEALTH),
    ("North West Ambulance Service", Organisation.Kind.AMBULANCE),
    ("Merseyside Fire and Rescue Service", Organisation.Kind.FIRE),
    ("Merseyside Violence Reduction Partnership", Organisation.Kind.VRP),
]

USERS = [
    ("admin", Role.ADMIN, "Merseyside Violence Reduction Partnership"),
    ("analyst", Role.ANALYST, "Merseyside Violence Reduction Partnership"),
    ("police", Role.PARTNER, "Merseyside Police"),
    ("health", Role.PARTNER, "Merseyside Emergency Departments (ISTV)"),
    ("manager", Role.PROGRAMME_MANAGER, "Merseyside Violence Reduction Partnership"),
    ("viewer", Role.VIEWER, None),
]


def demo_password() -> str:
    # Four random words' worth of entropy in a form people can type from the terminal.
    return "-".join(secrets.token_hex(3) for _ in range(4))


class Command(BaseCommand):
    help = "Create demo organisations and users (one per role) with fresh passwords, printed once."

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = {
            name: Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
            for name, kind in ORGANISATIONS
        }
        for username, role, org in USERS:
            password = demo_password()
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.save()
            Profile.objects.update_or_create(
                user=user, defaults={"role": role, "organisation": orgs.get(org) if org else None}
            )
            self.stdout.write(
                f"  {username:<8} {password}   {Role(role).label}" + (f", {org}" if org else "")
            )

"""Demo crews: one crew account and one lead per Köln office, and target times per category.

Passwords are printed only in development (DEBUG); production never gets demo accounts."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from reports.models import Category, Office

from .models import CategoryTarget, OfficeMembership, Role

DEMO_PASSWORD = "einsatz-demo"  # noqa: S105 - a documented development-only password
TARGET_HOURS = {"strasse": 72, "gruen": 168, "sauberkeit": 24}


def load(stdout) -> None:
    if not settings.DEBUG:
        stdout.write("Crew demo accounts are created in development (DEBUG) only.")
        return
    User = get_user_model()
    lines = []
    for office in Office.objects.order_by("name"):
        slug = slugify(office.name.replace("ß", "ss"))[:40]
        for role, prefix in ((Role.CREW, "trupp"), (Role.LEAD, "leitung")):
            username = f"{prefix}-{slug}"
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            OfficeMembership.objects.get_or_create(
                user=user, office=office, defaults={"role": role}
            )
            lines.append(f"  {username:<55} {role.label}, {office.name}")
    for code, hours in TARGET_HOURS.items():
        category = Category.objects.filter(code=code).first()
        if category is not None:
            CategoryTarget.objects.get_or_create(
                category=category, defaults={"target_hours": hours}
            )
    stdout.write(
        f"Einsatz-Tablets: http://127.0.0.1:<port>/einsatz/ — demo accounts, password "
        f"'{DEMO_PASSWORD}' (development only):\n" + "\n".join(lines)
    )

"""The admin in one language: every field of our models has a German label marked for
translation, and the English admin (changelists, change and add forms of every registered model)
shows no German label, filter title, help text or action; the German admin no English one.
Only the interface is checked (labels, column heads, filter titles, help texts, actions): the
rows are the city's data."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.crews.conftest import staff  # noqa: F401
from tests.reports.conftest import category, koeln, lonlat, make_report  # noqa: F401
from tests.test_language import ENGLISH, GERMAN, UMLAUTS

OUR_APPS = ["geoportal", "reports", "councilmap", "landuse", "crews", "opendata", "themes",
            "alerts", "trust"]
# Labels that are the same word in both languages.
SAME = {"Name", "Status", "Version", "Token", "Moderation", "Text", "Plan", "Layer", "GRZ", "GFZ",
        "Original", "System", "Zone", "Radius (m)", "API-Schlüssel", "Code", "Thema"}
# Quoted examples in help texts are names ('Hauptstraße', 'We' for Weiden, 'Beschlossen').
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|„[^“]*“|\([^)]*\)|\[.*\]")


def our_fields():
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if not field.auto_created and field.model is model:
                    yield model, field


def german_in(text: str) -> list[str]:
    words = [w for w in re.findall(r"[\wäöüßÄÖÜ]+", text) if w in GERMAN]
    return words + ([text] if UMLAUTS.search(QUOTED.sub(" ", text)) else [])


def test_every_field_has_a_translated_label():
    auto, untranslated, german_help = [], [], []
    for model, field in our_fields():
        name = f"{model.__name__}.{field.name}"
        # In German: the English of "Abonnement" is the attribute name "subscription", and an
        # earlier test may leave English active.
        with translation.override("de"):
            fallback = str(field.verbose_name) == field.name.replace("_", " ")
        if fallback:
            auto.append(name)  # Django's fallback from the attribute name: English on German pages
            continue
        with translation.override("de"):
            german = str(field.verbose_name)
        with translation.override("en"):
            english, help_text = str(field.verbose_name), str(field.help_text)
        if english == german and german not in SAME:
            untranslated.append(f"{name}: {german}")
        if german_in(english) or german_in(help_text):
            german_help.append(f"{name}: {english} / {help_text}")
    assert auto == []
    assert untranslated == []
    assert german_help == []


class AdminLabels(HTMLParser):
    """Text of labels, column heads, filter titles, help texts, fieldset titles and actions."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.open: list[str] = []  # the wanted elements we are inside of
        self.stack: list[tuple[str, bool]] = []
        self.in_filter = self.in_thead = self.in_action = self.in_choices = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            return
        wanted = (
            tag == "label"
            or (tag == "th" and self.in_thead)
            or (tag == "h3" and self.in_filter)
            or (tag == "h2" and "fieldset-heading" in classes)
            or (tag == "option" and self.in_action)
            or ("help" in classes or "helptext" in classes)
        )
        if attrs.get("id") == "changelist-filter":
            self.in_filter += 1
        if tag == "thead":
            self.in_thead += 1
        if tag == "select" and attrs.get("name") == "action":
            self.in_action += 1
        elif tag == "select":
            self.in_choices += 1  # a label around a select of data (offices): not interface
        self.stack.append((tag, wanted, attrs.get("id") == "changelist-filter"))
        if wanted:
            self.open.append(tag)
            self.parts.append("")

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, wanted, is_filter = self.stack.pop()
            if wanted:
                self.open.pop()
            if is_filter:
                self.in_filter -= 1
            if open_tag == "thead":
                self.in_thead -= 1
            if open_tag == "select" and self.in_choices:
                self.in_choices -= 1
            elif open_tag == "select" and self.in_action:
                self.in_action -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.open and data.strip() and not self.in_choices:
            self.parts[-1] += " " + data.strip()


def admin_labels(html: str) -> list[str]:
    parser = AdminLabels()
    parser.feed(html)
    return [p.strip() for p in parser.parts if p.strip()]


def admin_pages(client) -> list[str]:
    urls = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        obj = model_admin.get_queryset(_request(client)).first()
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        if model_admin.has_add_permission(_request(client)):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
    # The uploads that run the importers (the B-Plan's "add" leads there too).
    for name in ("landuse_plan_upload", "landuse_bplan_upload", "themes_datasetlayer_upload"):
        urls.append(reverse(f"admin:{name}"))
    return urls


def _request(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = client.user
    return request


@pytest.fixture
def admin_client_en(django_user_model, make_report, staff):  # noqa: F811
    """A superuser, with a report (and its reporter, photos, events, outbox) and crews."""
    make_report(description="Ein tiefes Loch in der Fahrbahn.")
    make_report(publish=False, email="neu@example.org")
    user = django_user_model.objects.create_superuser("chef", "chef@example.org", "pw")
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.django_db
def test_the_admin_pages_speak_one_language(admin_client_en):
    client = admin_client_en
    pages = admin_pages(client)
    assert len(pages) > 30
    german_left, english_left = {}, {}
    for url in pages:
        for language, found in (("en", german_left), ("de", english_left)):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
            assert response.status_code == 200, url
            labels = admin_labels(response.content.decode())
            assert labels, url
            if language == "en":
                words = [w for label in labels for w in german_in(label)]
            else:
                words = [w for label in labels for w in re.findall(r"\w+", label) if w in ENGLISH]
            if words:
                found[url] = words
    assert german_left == {}, "\n".join(f"{u}: {w}" for u, w in german_left.items())
    assert english_left == {}, "\n".join(f"{u}: {w}" for u, w in english_left.items())


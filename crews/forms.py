"""Input of the crew pages and the change API (one form for both, so both validate alike)."""

from django import forms

from reports.selectors import office_list

from .models import Stage


class ChangeForm(forms.Form):
    """One change of a report: a transition, a forward to another office, or a note."""

    ACTIONS = [("transition", "Status"), ("forward", "Weiterleiten"), ("note", "Notiz")]

    key = forms.UUIDField(error_messages={"invalid": "Ungültiger Änderungsschlüssel."})
    action = forms.ChoiceField(choices=ACTIONS, initial="transition")
    version = forms.IntegerField(min_value=1)
    stage = forms.ChoiceField(choices=Stage.choices, required=False, label="Neuer Status")
    public_note = forms.CharField(
        max_length=500, required=False, label="Öffentlicher Hinweis (sieht die meldende Person)"
    )
    internal_note = forms.CharField(
        max_length=2000, required=False, label="Interne Notiz (nur für das Amt)"
    )
    duplicate_of = forms.CharField(max_length=20, required=False, label="Duplikat von Nr.")
    external_body = forms.CharField(max_length=200, required=False, label="Externe Stelle")
    office = forms.ModelChoiceField(
        queryset=office_list(), required=False, label="An Amt weiterleiten"
    )
    reason = forms.CharField(max_length=500, required=False, label="Grund der Weiterleitung")
    photo = forms.ImageField(required=False, label="Foto der Behebung")


class BulkForm(forms.Form):
    reports = forms.TypedMultipleChoiceField(coerce=int, choices=[], label="Meldungen")
    action = forms.ChoiceField(choices=[("assign", "Zuweisen"), ("stage", "Status setzen")])
    assignee = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, choices=[])
    stage = forms.ChoiceField(choices=Stage.choices, required=False)
    public_note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, reports=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(r.pk, r.number) for r in reports]
        self.fields["assignee"].choices = [("", "niemand")] + [
            (m.user_id, m.user.get_username()) for m in members
        ]

"""crews.services: domain errors, not HTTP; reports' rows changed through reports.services."""

import uuid

import pytest

from crews import services
from crews.models import ChangeOutcome, ChangeRecord, Stage
from reports.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_a_report_of_another_office_is_not_found_not_an_http_error(staff, make_report):
    report = make_report(code="schlagloch")
    with pytest.raises(services.ReportNotFound):
        services.work_transition(
            user=staff["crew_b"], report_id=report.pk, stage=Stage.ACKNOWLEDGED, version=1
        )
    with pytest.raises(services.ReportNotFound):
        services.work_assign(user=staff["lead_a"], report_ids=[10**9], assignee_id=None)


def test_a_change_stores_its_outcome_and_a_replay_gets_it_again(staff, make_report):
    report = make_report(code="schlagloch")
    key = str(uuid.uuid4())

    def run():
        services.work_transition(
            user=staff["crew_a"], report_id=report.pk, stage=Stage.FIXED, version=99
        )
        return {}

    first = services.change_apply_once(key=key, user=staff["crew_a"], report_id=report.pk, run=run)
    again = services.change_apply_once(key=key, user=staff["crew_a"], report_id=report.pk, run=run)
    assert first[0] == again[0] == ChangeOutcome.CONFLICT
    assert again[1]["replayed"] is True
    assert ChangeRecord.objects.get(key=key).outcome == ChangeOutcome.CONFLICT


def test_a_duplicate_tells_the_originals_reporter_through_the_reports_outbox(staff, make_report):
    original = make_report(code="schlagloch", email="erste@example.org")
    duplicate = make_report(code="schlagloch", email="zweite@example.org")
    services.work_transition(
        user=staff["crew_a"], report_id=duplicate.pk, stage=Stage.DUPLICATE, version=1,
        duplicate_of=original.number,
    )
    told = OutboxMessage.objects.get(purpose="reporter_duplicate")
    assert told.recipient == "erste@example.org" and told.report == original

"""The rules of tracking: what may be tracked, the append-only history, corrections, evidence and the log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from reports.enums import ReportStatus
from testimony.enums import Identification
from tests.reports.factories import make_report
from tests.testimony.factories import make_testimony
from tests.tracking.factories import make_office, make_recommendations
from tracking import services
from tracking.enums import EvidenceKind, Level, LogAction, TrackingStatus
from tracking.models import Evidence, Office, StatusUpdate, TrackedItem, TrackingLog
from tracking.services import EvidenceInput, TrackingError

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def city(personas):
    return personas["city_a"]


@pytest.fixture
def organizer(personas):
    return personas["organizer_a"]


def test_track_recommendations_adds_only_new_ones_and_logs_each(city, organizer):
    recs = make_recommendations(3)
    first = services.track_recommendations(city, recs[:2], by=organizer)
    second = services.track_recommendations(city, recs, by=organizer)
    assert [item.recommendation for item in first] == recs[:2]
    assert [item.recommendation for item in second] == recs[2:]
    assert TrackedItem.objects.filter(city=city).count() == 3
    assert list(TrackingLog.objects.filter(city=city).values_list("action", "note")) == [
        (LogAction.TRACKED, "26.1"),
        (LogAction.TRACKED, "26.2"),
        (LogAction.TRACKED, "26.3"),
    ]


def test_an_item_is_official_or_local_never_both(city):
    rec = make_recommendations(1)[0]
    report = make_report(city, sections=1, recommendations=1, status=ReportStatus.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrackedItem.objects.create(city=city, recommendation=rec, local_recommendation=report.recommendations.first())
    with pytest.raises(IntegrityError), transaction.atomic():
        TrackedItem.objects.create(city=city)


def test_own_recommendations_come_only_from_an_accepted_report(city, organizer, personas):
    draft = make_report(city, sections=1, recommendations=1)
    with pytest.raises(TrackingError, match="accepted local report"):
        services.track_local(city, draft.recommendations.get(), by=organizer)
    draft.status = ReportStatus.ACCEPTED
    draft.save()
    item = services.track_local(city, draft.recommendations.get(), by=organizer)
    assert item.local_recommendation == draft.recommendations.get()
    assert item.level == Level.CITY
    with pytest.raises(TrackingError, match="already tracks"):
        services.track_local(city, draft.recommendations.get(), by=organizer)
    # Another city cannot track Pittsburgh's own recommendation.
    with pytest.raises(TrackingError):
        services.track_local(personas["city_b"], draft.recommendations.get(), by=personas["organizer_b"])


def test_updates_are_append_only_and_corrections_say_what_they_correct(city, organizer):
    item = services.track_recommendations(city, make_recommendations(1), by=organizer)[0]
    first = services.record_update(
        item, status=TrackingStatus.IMPLEMENTED, what_changed="Ordinance passed.", observed_on=TODAY, by=organizer
    )
    first.what_changed = "Rewritten"
    with pytest.raises(ValueError, match="append-only"):
        first.save()
    correction = services.record_update(
        item,
        status=TrackingStatus.PARTLY_IMPLEMENTED,
        what_changed="Passed, but not funded.",
        observed_on=TODAY,
        by=organizer,
        corrects=first,
    )
    assert list(StatusUpdate.objects.filter(item=item).values_list("status", "what_changed", "corrects")) == [
        ("implemented", "Ordinance passed.", None),
        ("partly_implemented", "Passed, but not funded.", first.pk),
    ]
    assert TrackedItem.objects.with_current().get(pk=item.pk).current_status == correction.status
    assert list(TrackingLog.objects.filter(item=item).values_list("action", flat=True)) == [
        LogAction.TRACKED,
        LogAction.UPDATE_RECORDED,
        LogAction.CORRECTION,
    ]


def test_a_correction_of_another_items_update_is_refused(city, organizer):
    one, two = services.track_recommendations(city, make_recommendations(2), by=organizer)
    update = services.record_update(one, status="in_progress", what_changed="x", observed_on=TODAY, by=organizer)
    with pytest.raises(TrackingError, match="same recommendation"):
        services.record_update(
            two, status="in_progress", what_changed="y", observed_on=TODAY, by=organizer, corrects=update
        )
    assert StatusUpdate.objects.filter(item=two).count() == 0


def test_a_date_in_the_future_is_refused_and_nothing_is_stored(city, organizer):
    item = services.track_recommendations(city, make_recommendations(1), by=organizer)[0]
    with pytest.raises(TrackingError, match="future"):
        services.record_update(
            item,
            status="in_progress",
            what_changed="Soon",
            observed_on=TODAY + dt.timedelta(days=1),
            by=organizer,
            today=TODAY,
        )
    assert StatusUpdate.objects.count() == 0


def test_testimony_without_advocacy_consent_is_refused_whole(city, organizer):
    item = services.track_recommendations(city, make_recommendations(1), by=organizer)[0]
    private = make_testimony(city=city, body="My rent doubled.", allows_advocacy=False)
    with pytest.raises(TrackingError, match="public advocacy"):
        services.record_update(
            item,
            status="regressed",
            what_changed="Rents rose.",
            observed_on=TODAY,
            by=organizer,
            evidence=[
                EvidenceInput(EvidenceKind.LINK, title="News", url="https://example.org/news"),
                EvidenceInput(EvidenceKind.TESTIMONY, testimony=private),
            ],
        )
    assert StatusUpdate.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_testimony_of_another_city_is_refused(city, organizer, personas):
    item = services.track_recommendations(city, make_recommendations(1), by=organizer)[0]
    elsewhere = make_testimony(city=personas["city_b"], body="Boston words.", allows_advocacy=True)
    with pytest.raises(TrackingError):
        services.record_update(
            item,
            status="regressed",
            what_changed="x",
            observed_on=TODAY,
            by=organizer,
            evidence=[EvidenceInput(EvidenceKind.TESTIMONY, testimony=elsewhere)],
        )


def test_withdrawal_erases_the_quoted_words(city, organizer):
    from testimony import services as testimony_services

    item = services.track_recommendations(city, make_recommendations(1), by=organizer)[0]
    testimony = make_testimony(
        city=city,
        body="The shelter closed in May.",
        allows_advocacy=True,
        identification=Identification.FIRST_NAME,
        display_name="Ana",
    )
    services.record_update(
        item,
        status="regressed",
        what_changed="Shelter closed.",
        observed_on=TODAY,
        by=organizer,
        evidence=[EvidenceInput(EvidenceKind.TESTIMONY, testimony=testimony, excerpt="The shelter closed")],
    )
    testimony_services.withdraw_testimony(testimony)
    assert list(Evidence.objects.values_list("excerpt", flat=True)) == [""]
    assert TrackingLog.objects.filter(action=LogAction.EVIDENCE_ERASED).count() == 1


def test_an_office_name_is_unique_in_its_city(city, organizer, personas):
    make_office(city, "Mayor's Office")
    with pytest.raises(TrackingError, match="already lists"):
        services.save_office(Office(city=city, name="Mayor's Office"), by=organizer)
    # The same name in another city is fine.
    make_office(personas["city_b"], "Mayor's Office")

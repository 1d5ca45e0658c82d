import datetime as dt
import zoneinfo

from django.template import Context, Template
from django.utils import timezone

from portal.templatetags.machine_time import machine_datetime

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_machine_datetime_drops_microseconds_and_writes_the_offset_with_a_colon():
    when = dt.datetime(2026, 12, 7, 15, 38, 20, 439288, tzinfo=dt.UTC)
    with timezone.override(NEW_YORK):
        assert machine_datetime(when) == "2026-12-07T10:38:20-05:00"


def test_machine_datetime_uses_the_zone_of_a_timezone_block_without_loading_a_library():
    template = Template('{% load tz %}{% timezone "America/Los_Angeles" %}{{ when|machine_datetime }}{% endtimezone %}')
    when = dt.datetime(2030, 3, 10, 17, 0, 0, 5, tzinfo=dt.UTC)
    assert template.render(Context({"when": when})) == "2030-03-10T10:00:00-07:00"


def test_machine_datetime_of_a_date_or_nothing():
    assert machine_datetime(dt.date(2020, 11, 9)) == "2020-11-09"
    assert machine_datetime(None) == ""

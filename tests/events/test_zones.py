"""Time zones as people say them (events.zones), in English and Spanish, wherever an event's zone is shown."""

from __future__ import annotations

import zoneinfo

import pytest
from django.utils import translation

from events.forms import COMMON_TIME_ZONES
from events.zones import zone_name


@pytest.mark.parametrize(
    ("zone", "english", "spanish"),
    [
        ("America/New_York", "Eastern Time", "hora del Este"),
        ("America/Detroit", "Eastern Time", "hora del Este"),
        ("America/Chicago", "Central Time", "hora del Centro"),
        ("America/Denver", "Mountain Time", "hora de la Montaña"),
        ("America/Phoenix", "Mountain Standard Time (Arizona)", "hora estándar de la Montaña (Arizona)"),
        ("America/Los_Angeles", "Pacific Time", "hora del Pacífico"),
        ("America/Anchorage", "Alaska Time", "hora de Alaska"),
        ("Pacific/Honolulu", "Hawaii Time", "hora de Hawái"),
        ("America/Adak", "Hawaii-Aleutian Time", "hora de Hawái-Aleutianas"),
        ("America/Puerto_Rico", "Atlantic Time", "hora del Atlántico"),
        ("Pacific/Guam", "Chamorro Time", "hora de Chamorro"),
        ("Europe/Zurich", "Central European Time (Geneva)", "hora de Europa Central (Ginebra)"),
        ("Europe/Paris", "Central European Time", "hora de Europa Central"),
        ("UTC", "Coordinated Universal Time (UTC)", "tiempo universal coordinado (UTC)"),
        ("America/Mexico_City", "Mexico City time", "hora de Mexico City"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires time", "hora de Buenos Aires"),
    ],
)
def test_zone_name_as_people_say_it(zone, english, spanish):
    with translation.override("en"):
        assert str(zone_name(zone)) == english
    with translation.override("es"):
        assert str(zone_name(zone)) == spanish


def test_zone_name_is_said_in_the_language_active_when_shown():
    name = zone_name("America/Chicago")  # made once (a module constant, a template context), shown later
    with translation.override("es"):
        assert f"{name}" == "hora del Centro"
    with translation.override("en"):
        assert f"{name}" == "Central Time"


def test_every_zone_organizers_are_offered_has_a_name_of_its_own():
    for zone in COMMON_TIME_ZONES:
        assert zone in zoneinfo.available_timezones()
        with translation.override("en"):
            assert not str(zone_name(zone)).endswith(" time"), zone

"""Time zones as people say them ("Eastern Time", "hora del Este"), not as the IANA database names them
("America/New_York"). Events store the IANA name (it decides the clock); pages, emails and calendar text show this.

The named zones are those of the United States and its territories (the portal's cities), Geneva (the Human Rights
Council) and UTC, with the names American English and US Spanish media use. Any other zone is said by its place
("Mexico City time", "hora de Mexico City"), which is how the IANA database itself names zones.
"""

from __future__ import annotations

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy, pgettext_lazy

EASTERN = pgettext_lazy("time zone", "Eastern Time")
CENTRAL = pgettext_lazy("time zone", "Central Time")
MOUNTAIN = pgettext_lazy("time zone", "Mountain Time")
ARIZONA = pgettext_lazy("time zone", "Mountain Standard Time (Arizona)")
PACIFIC = pgettext_lazy("time zone", "Pacific Time")
ALASKA = pgettext_lazy("time zone", "Alaska Time")
HAWAII = pgettext_lazy("time zone", "Hawaii Time")
ALEUTIAN = pgettext_lazy("time zone", "Hawaii-Aleutian Time")
ATLANTIC = pgettext_lazy("time zone", "Atlantic Time")
CHAMORRO = pgettext_lazy("time zone", "Chamorro Time")
SAMOA = pgettext_lazy("time zone", "Samoa Time")
CENTRAL_EUROPE = pgettext_lazy("time zone", "Central European Time")
GENEVA = pgettext_lazy("time zone", "Central European Time (Geneva)")
UTC = pgettext_lazy("time zone", "Coordinated Universal Time (UTC)")

_NAMES: dict[str, Promise] = {
    **dict.fromkeys(
        [
            "America/New_York",
            "America/Detroit",
            "America/Kentucky/Louisville",
            "America/Kentucky/Monticello",
            "America/Louisville",
            "America/Indiana/Indianapolis",
            "America/Indianapolis",
            "America/Fort_Wayne",
            "America/Indiana/Marengo",
            "America/Indiana/Petersburg",
            "America/Indiana/Vevay",
            "America/Indiana/Vincennes",
            "America/Indiana/Winamac",
            "America/Toronto",
            "US/Eastern",
            "US/Michigan",
            "US/East-Indiana",
            "EST5EDT",
        ],
        EASTERN,
    ),
    **dict.fromkeys(
        [
            "America/Chicago",
            "America/Indiana/Knox",
            "America/Indiana/Tell_City",
            "America/Knox_IN",
            "America/Menominee",
            "America/North_Dakota/Beulah",
            "America/North_Dakota/Center",
            "America/North_Dakota/New_Salem",
            "America/Winnipeg",
            "US/Central",
            "US/Indiana-Starke",
            "CST6CDT",
        ],
        CENTRAL,
    ),
    **dict.fromkeys(["America/Denver", "America/Boise", "America/Edmonton", "US/Mountain", "MST7MDT"], MOUNTAIN),
    **dict.fromkeys(["America/Phoenix", "US/Arizona"], ARIZONA),
    **dict.fromkeys(["America/Los_Angeles", "America/Vancouver", "US/Pacific", "PST8PDT"], PACIFIC),
    **dict.fromkeys(
        [
            "America/Anchorage",
            "America/Juneau",
            "America/Metlakatla",
            "America/Nome",
            "America/Sitka",
            "America/Yakutat",
            "US/Alaska",
        ],
        ALASKA,
    ),
    **dict.fromkeys(["Pacific/Honolulu", "US/Hawaii", "Pacific/Johnston"], HAWAII),
    **dict.fromkeys(["America/Adak", "America/Atka", "US/Aleutian"], ALEUTIAN),
    **dict.fromkeys(["America/Puerto_Rico", "America/St_Thomas", "America/Virgin", "America/Halifax"], ATLANTIC),
    **dict.fromkeys(["Pacific/Guam", "Pacific/Saipan"], CHAMORRO),
    **dict.fromkeys(["Pacific/Pago_Pago", "Pacific/Samoa", "US/Samoa"], SAMOA),
    **dict.fromkeys(
        [
            "Europe/Paris",
            "Europe/Berlin",
            "Europe/Brussels",
            "Europe/Amsterdam",
            "Europe/Madrid",
            "Europe/Rome",
            "Europe/Vienna",
        ],
        CENTRAL_EUROPE,
    ),
    # Switzerland's one zone, named for the city the portal's users know it from.
    **dict.fromkeys(["Europe/Zurich", "Europe/Geneva"], GENEVA),
    **dict.fromkeys(["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu"], UTC),
    **dict.fromkeys(["GMT", "Etc/GMT", "Etc/Greenwich", "Greenwich"], UTC),
}

PLACE_TIME = gettext_lazy("%(place)s time")


def _zone_name(zone: str) -> str:
    named = _NAMES.get(zone)
    if named is not None:
        return str(named)
    place = (zone or "").rsplit("/", 1)[-1].replace("_", " ").strip()
    return str(PLACE_TIME) % {"place": place} if place else ""


zone_name = lazy(_zone_name, str)
zone_name.__doc__ = """The zone as people say it, in the active language when it is shown (a lazy string)."""

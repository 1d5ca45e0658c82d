"""The 2020 webinars of the UPR Cities project page, with their real descriptions and speakers.

The project page links each webinar's recording (and the May webinar's slides) from its own site; the portal holds
none of those files, so each webinar links the page that publishes them, and its page says what is on the portal
and what is not.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from events.enums import EventKind, EventStatus, SpeakerRole
from events.models import Event, EventSpeaker, Speaker
from upr.models import Theme

EASTERN = zoneinfo.ZoneInfo("America/New_York")

# The UPR Cities project page (National Human Rights Cities Alliance wiki) in the revision these webinars were read
# from, which links their recordings and slides.
PROJECT_PAGE = "https://wiki.humanrightscities.mayfirst.org/index.php?title=UPR_Cities_Project&oldid=426"

WEBINARS = [
    {
        "slug": "building-a-human-rights-cities-movement-against-structural-racism",
        "title": "Building a Human Rights Cities Movement Against Structural Racism",
        "date": dt.date(2020, 7, 9),
        "themes": ["equality", "policing-justice", "un-engagement"],
        "description": (
            "In response to Black resistances to dismantle violent police repression and the wider systemic forces "
            "that drive racial inequities, the global community has become activated like never before to demand "
            "accountability and transformative changes. This webinar reviews the oft-overlooked history of "
            "engagement in the United Nations by those struggling for Black emancipation, starting with the 1947 "
            "Appeal to the World, and continuing in last month’s unprecedented UN Human Rights Council Urgent "
            "Debate on racially inspired human rights violations which featured an opening speech by the brother "
            "of George Floyd. Longtime human rights organizers discuss how grassroots activists can engage with "
            "international human rights treaties and processes to build powerful networks of alliances against "
            "structural racism."
        ),
        "speakers": [
            (
                "Dominique Day",
                "Vice-chair",
                "UN Working Group of Experts on People of African Descent",
                SpeakerRole.SPEAKER,
            ),
            ("Ejim Dike", "Former Executive Director", "US Human Rights Network", SpeakerRole.SPEAKER),
            ("Jamil Dakwar", "Human Rights Program Director", "ACLU", SpeakerRole.SPEAKER),
            ("Salimah Hankins", "Acting Director", "US Human Rights Network", SpeakerRole.SPEAKER),
            (
                "Johnaca Dunlap",
                "Steering Committee",
                "Ubuntu Institute & US Human Rights Cities Alliance",
                SpeakerRole.FACILITATOR,
            ),
            (
                "Rob Robinson",
                "Steering Committee",
                "International Alliance of Inhabitants & US Human Rights Cities Alliance",
                SpeakerRole.FACILITATOR,
            ),
        ],
    },
    {
        "slug": "local-and-global-strategies-for-advancing-the-human-right-to-housing",
        "title": "Local & Global Strategies for Advancing the Human Right to Housing",
        "date": dt.date(2020, 6, 11),
        "themes": ["housing"],
        "description": (
            "The Coronavirus pandemic has exposed and deepened the long-standing housing crisis in our communities. "
            "At a time when everyone’s health demands that all residents have a safe and stable home, more and "
            "more people face housing insecurity and homelessness. How can cities and communities better protect "
            "people’s right to adequate housing? This webinar features Julieta Perucca, assistant to the former "
            "UN Special Rapporteur on the Human Right to Adequate Housing and currently Deputy Director of global "
            "housing rights initiative, The Shift. Learn about the human right to housing around the world and "
            "strategies for using international law and the United Nations to advance housing and other human "
            "rights. We’ll hear from leaders in Birmingham and other cities using innovative strategies for "
            "keeping people in their homes and expanding affordable housing."
        ),
        "speakers": [
            ("Julieta Perucca", "Deputy Director", "The Shift", SpeakerRole.SPEAKER),
            (
                "Brandon Johnson",
                "Director of the Office of Peace and Policy",
                "City of Birmingham",
                SpeakerRole.CITY_REPRESENTATIVE,
            ),
            ("Daniel Joseph Wiley", "", "Newark Ironbound Community", SpeakerRole.CITY_REPRESENTATIVE),
            (
                "Crystal Jennings",
                "Housing justice organizer",
                "Penn Plaza Support and Action Coalition & City of Bridges Community Land Trust, Pittsburgh",
                SpeakerRole.CITY_REPRESENTATIVE,
            ),
            ("Timothy Franzen", "", "American Friends Service Committee", SpeakerRole.CITY_REPRESENTATIVE),
            ("Alison Johnston", "", "Housing Justice League, Atlanta", SpeakerRole.CITY_REPRESENTATIVE),
        ],
    },
    {
        "slug": "virtual-gathering-on-the-postponed-upr-review",
        "title": "Virtual Gathering on the Postponed UPR Review of the United States",
        "date": dt.date(2020, 5, 11),
        "themes": ["un-engagement"],
        "description": (
            "The May 11th date for the United Nation’s review of the U.S. Government’s human rights record (known "
            "as UPR) has been postponed by the pandemic, but in its place we’re organizing a virtual gathering to "
            "help community advocates learn how to use the UPR review process to advocate for their communities. "
            "We’ll hear about the world’s first national cities stakeholder report to the UN. Organizers from New "
            "Orleans, Washington DC, and Pittsburgh will show how the UPR can help local organizing. And we’ll learn "
            "about the Southern Mayors’ Human Rights Agenda and how it can help define the kind of post-COVID-19 "
            "city we all need. Participants will learn about using the UPR process to organize locally and bring "
            "global pressure on national and local officials through the UPR Cities Project."
        ),
        "speakers": [],
    },
]


# Upcoming events for the demo only (clearly marked): registration, reminders and calendars need a future event.
DEMO_UPCOMING = [
    {
        "slug": "demo-preparing-local-reports-for-the-fourth-review",
        "title": "Preparing local reports for the fourth review (demo event)",
        "kind": EventKind.WEBINAR,
        "starts": dt.datetime(2027, 1, 21, 19, 0, tzinfo=EASTERN),
        "minutes": 90,
        "online_url": "https://meet.example.org/upr-cities-demo",
        "place": "",
        "capacity": 100,
        "host": None,
        "themes": ["un-engagement"],
        "description": (
            "A demo event: how a city collects testimony, writes its short local report and sends it to the "
            "national team before the deadline. Registration, reminders and calendar files work as for a real event."
        ),
    },
    {
        "slug": "demo-pittsburgh-community-conversation-on-housing",
        "title": "Community conversation on housing in Pittsburgh (demo event)",
        "kind": EventKind.COMMUNITY_CONVERSATION,
        "starts": dt.datetime(2027, 1, 30, 14, 0, tzinfo=EASTERN),
        "minutes": 120,
        "online_url": "",
        "place": "Carnegie Library of Pittsburgh, Main branch",
        "capacity": 40,
        "host": ("Pittsburgh", "PA"),
        "themes": ["housing"],
        "description": "A demo event: residents share what the right to housing means in their neighbourhood.",
    },
]


def load_upcoming_demo_events() -> int:
    from cities.models import City

    for data in DEMO_UPCOMING:
        host = City.objects.filter(name=data["host"][0], state=data["host"][1]).first() if data["host"] else None
        event, _ = Event.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "kind": data["kind"],
                "title": data["title"],
                "description": data["description"],
                "starts_at": data["starts"],
                "ends_at": data["starts"] + dt.timedelta(minutes=data["minutes"]),
                "time_zone": "America/New_York",
                "online_url": data["online_url"],
                "place": data["place"],
                "capacity": data["capacity"],
                "host_city": host,
                "status": EventStatus.SCHEDULED,
            },
        )
        event.themes.set(Theme.objects.filter(slug__in=data["themes"]))
    return len(DEMO_UPCOMING)


def load_webinars() -> int:
    for data in WEBINARS:
        # The project page gives the dates, not the hours: shown as a 90-minute afternoon slot, Eastern time.
        starts = dt.datetime.combine(data["date"], dt.time(14, 0), tzinfo=EASTERN)
        event, _ = Event.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "kind": EventKind.WEBINAR,
                "title": data["title"],
                "description": data["description"],
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(minutes=90),
                "time_zone": "America/New_York",
                "status": EventStatus.HELD,
                "materials_elsewhere_url": PROJECT_PAGE,
            },
        )
        event.themes.set(Theme.objects.filter(slug__in=data["themes"]))
        for position, (name, title, organisation, role) in enumerate(data["speakers"]):
            speaker, _ = Speaker.objects.update_or_create(
                name=name, organisation=organisation, defaults={"title": title}
            )
            EventSpeaker.objects.update_or_create(
                event=event, speaker=speaker, defaults={"role": role, "position": position}
            )
    return len(WEBINARS)

"""State names come from one table (cities/data/us_states.csv) and follow the page's language everywhere a state
is named: the directory's filter and table, the join form, the city page and the map's dots."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import translation

from cities.states import state_choices, state_name


def test_state_name_in_each_language_and_an_unknown_code_as_it_is():
    assert [state_name(code, "es") for code in ("NY", "NC", "PA", "HI", "DC", "TX", "OH")] == [
        "Nueva York",
        "Carolina del Norte",
        "Pensilvania",
        "Hawái",
        "Distrito de Columbia",
        "Texas",
        "Ohio",
    ]
    assert [state_name(code, "en") for code in ("NY", "NC", "PA", "HI", "DC")] == [
        "New York",
        "North Carolina",
        "Pennsylvania",
        "Hawaii",
        "District of Columbia",
    ]
    assert state_name("ZZ", "es") == "ZZ"
    with translation.override("es"):
        assert state_name("ny") == "Nueva York"


def test_state_choices_are_the_50_states_and_dc_in_the_order_of_their_names():
    spanish = state_choices("es")
    assert len(spanish) == 51 and len({code for code, _name in spanish}) == 51
    names = [name for _code, name in spanish]
    assert names[:8] == [
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "California",
        "Carolina del Norte",
        "Carolina del Sur",
        "Colorado",
    ]
    # Accents do not move a name: Oregón sits between Oklahoma and Pensilvania.
    assert names[names.index("Oklahoma") + 1 : names.index("Oklahoma") + 3] == ["Oregón", "Pensilvania"]
    english = [name for _code, name in state_choices("en")]
    assert english[names.index("Alabama")] == "Alabama" and "North Carolina" in english
    assert english.index("North Carolina") < english.index("North Dakota") < english.index("Ohio")


def _spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def test_directory_filter_table_and_map_name_states_in_spanish(client, city_factory):
    city_factory("Pittsburgh", "PA", latitude=40.44062, longitude=-79.99589)
    city_factory("Durham", "NC", latitude=35.99403, longitude=-78.89862)
    html = _spanish(client).get("/cities/").content.decode()
    assert '<option value="NC">Carolina del Norte</option>' in html
    assert '<option value="NY">Nueva York</option>' in html
    assert re.findall(r"</a></th><td>([^<]+)</td>", html) == ["Carolina del Norte", "Pensilvania"]
    assert 'aria-label="Durham, Carolina del Norte"' in html
    assert 'aria-label="Pittsburgh, Pensilvania"' in html


def test_join_form_names_states_in_spanish(client, db):
    html = _spanish(client).get("/cities/join/").content.decode()
    assert '<option value="PA">Pensilvania</option>' in html
    assert html.index(">Carolina del Sur<") < html.index(">Colorado<")


def test_city_page_names_its_state_in_the_page_language(client, city_factory):
    city_factory("Pittsburgh", "PA")
    assert "<h1>Pittsburgh, Pennsylvania</h1>" in client.get("/cities/pittsburgh-pa/").content.decode()
    html = _spanish(client).get("/cities/pittsburgh-pa/").content.decode()
    assert "<h1>Pittsburgh, Pensilvania</h1>" in html
    assert "<title>Pittsburgh, Pensilvania · Ciudades EPU</title>" in html

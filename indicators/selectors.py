"""Reads for the profile, compare and CSV pages."""


def city_profile_panel(city):
    return {}

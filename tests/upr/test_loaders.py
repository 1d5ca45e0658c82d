"""The real milestones and review cycles load with their Spanish (upr/data, title_es and note_es)."""

from __future__ import annotations

from upr.loaders import _rows, load_cycles, load_milestones
from upr.models import Milestone, ReviewCycle


def test_every_milestone_and_cycle_note_of_the_data_loads_with_its_spanish(db):
    load_cycles()
    assert load_milestones() == len(_rows("milestones.csv")) == 12
    assert not Milestone.objects.filter(title_es="").exists()
    review = Milestone.objects.get(cycle__number=3, kind="review")
    assert (review.title, review.title_es) == (
        "Review of the United States in the UPR Working Group (36th session)",
        "Examen de los Estados Unidos en el Grupo de Trabajo sobre el EPU (36.º período de sesiones)",
    )
    notes = dict(ReviewCycle.objects.values_list("number", "note_es"))
    assert sorted(notes) == [1, 2, 3, 4] and all(notes.values())
    assert notes[4].startswith("Los Estados Unidos no participaron en el examen que tenían previsto el 7 de noviembre")

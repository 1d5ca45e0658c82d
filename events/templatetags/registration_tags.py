from django import template

from events.registration_forms import RegistrationForm
from events.selectors import registration_closed_reason

register = template.Library()


@register.inclusion_tag("events/registration_form.html")
def registration_form(event, form=None):
    """The event page's registration form, contributed by the registration pages (the event page only includes
    events/registration_panel.html). Shows why registration is closed instead of the form when it is."""
    return {"event": event, "form": form or RegistrationForm(), "closed_reason": registration_closed_reason(event)}

"""The learner's path across apps: the result page of a course's quiz (courses) offers the
certificate (certificates). The project wires the two; neither app imports the other."""

from django import template

from certificates.selectors import course_certificate as find_course_certificate

register = template.Library()


@register.inclusion_tag("includes/course_certificate.html", takes_context=True)
def course_certificate(context, course) -> dict:
    """Download link when ready; "being prepared" (polled, updates itself) while it renders."""
    request = context["request"]
    return {"found": find_course_certificate(request.user, course.pk), "course": course}

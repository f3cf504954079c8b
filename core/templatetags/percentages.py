"""``{{ figure.percent|percent }}``: 69,23% in Vietnamese, 69.23% in English, — for none."""

from django import template

from core.numbers import format_percent

register = template.Library()


@register.filter(name="percent")
def percent_filter(value) -> str:
    return format_percent(value)

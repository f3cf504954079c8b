"""Demo training data: in-person classes with attendance, online completions, requirements."""

from . import classes as demo_classes
from . import requirements as demo_requirements


def seed() -> None:
    demo_classes.seed()  # classes and attendance first: they are records the audit counts
    demo_requirements.seed()  # Program 09 rules, online completions, a closed previous year

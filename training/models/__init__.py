# Every model of the app label "training", one module per room: ledger.py (the ledger),
# classes.py (in-person classes), requirements.py (the audit's yearly rules, closed years'
# snapshots, export jobs) and reminders.py (reminder e-mails sent).
from .assignments import *  # noqa: F401,F403
from .classes import *  # noqa: F401,F403
from .invitations import *  # noqa: F401,F403
from .ledger import *  # noqa: F401,F403
from .reminders import *  # noqa: F401,F403
from .requirements import *  # noqa: F401,F403

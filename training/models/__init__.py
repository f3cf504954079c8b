# The ledger, the yearly requirement rules and the in-person classes live in their own modules.
from .classes import *  # noqa: F401,F403
from .ledger import *  # noqa: F401,F403
from .requirements import *  # noqa: F401,F403

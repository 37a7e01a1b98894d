"""Production settings for the live-server tests, with every rate limit lifted: 200 people submitting at once
from one test address must reach the database, which is what those tests measure."""

from gongkai.core.limits import DEFAULT_LIMITS
from gongkai.settings import *  # noqa: F403

GONGKAI_RATE_LIMITS = {scope: (100_000, window) for scope, (_, window) in DEFAULT_LIMITS.items()}
GONGKAI_APPLY_RATE_LIMITS = dict(GONGKAI_RATE_LIMITS)

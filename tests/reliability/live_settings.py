"""Production settings for the live-server tests, with the public form's rate limits lifted: 200 people
submitting at once from one test address must reach the database, which is what those tests measure."""

from gongkai.settings import *  # noqa: F403

GONGKAI_APPLY_RATE_LIMITS = {"submit": (100_000, 3600), "track": (100_000, 600), "api_submit": (100_000, 3600)}

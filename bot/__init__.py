"""Kinerja Bot: daily e-Kinerja progress reports by Telegram chat (not an official BKN product)."""

import os

# python-telegram-bot 22 announces that RetryAfter.retry_after becomes a timedelta; opt in now
# (our code reads either form) so the deprecation warning never reaches the logs.
os.environ.setdefault("PTB_TIMEDELTA", "1")

"""Settings from environment variables and `.env` (DESIGN §7).

Validated once at start so a typo in deployment stops the process with one clear
line instead of failing later inside a handler.
"""

from __future__ import annotations

import re
from datetime import time
from functools import lru_cache
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org/bot"
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{5,}$")


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    telegram_bot_token: str | None = None
    database_url: str = "sqlite+aiosqlite:///kinerja.db"
    telegram_api_base_url: str = TELEGRAM_API
    telegram_file_base_url: str | None = None
    default_timezone: str = "Asia/Jakarta"
    reminder_time: time = time(15, 30)
    workday_minutes: int = Field(450, ge=60, le=24 * 60)
    admin_telegram_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    webhook_url: str | None = None
    webhook_secret: str | None = None
    send_rate_per_second: float = Field(25.0, gt=0, le=1000)
    # Bot API request timeouts in seconds (getUpdates keeps its long-poll timeout). Generous:
    # a send that times out while reading may have reached Telegram and is not repeated.
    telegram_connect_timeout: float = Field(10.0, gt=0, le=300)
    telegram_read_timeout: float = Field(30.0, gt=0, le=300)
    telegram_write_timeout: float = Field(30.0, gt=0, le=300)
    telegram_pool_timeout: float = Field(10.0, gt=0, le=300)
    default_language: str = "id"
    bot_username: str | None = None

    @field_validator("telegram_bot_token")
    @classmethod
    def _token(cls, v: str | None) -> str | None:
        if v is None or v.strip() == "":
            return None
        v = v.strip()
        if not _TOKEN_RE.match(v):
            raise ValueError("expected the form 123456789:ABC-DEF… given by @BotFather")
        return v

    @field_validator("default_timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("unknown time zone; use e.g. Asia/Jakarta, Asia/Makassar") from exc
        return v

    @field_validator("admin_telegram_ids", mode="before")
    @classmethod
    def _ids(cls, v: object) -> object:
        if isinstance(v, str):
            parts = [p for p in re.split(r"[,\s]+", v.strip()) if p]
            try:
                return [int(p) for p in parts]
            except ValueError as exc:
                raise ValueError("expected comma-separated Telegram user ids") from exc
        if isinstance(v, int):
            return [v]
        return v

    @field_validator("default_language")
    @classmethod
    def _lang(cls, v: str) -> str:
        if v not in ("id", "en"):
            raise ValueError("expected id or en")
        return v

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, v: str | None) -> str | None:
        if v and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", v):
            raise ValueError("1-256 characters A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return v or None

    @field_validator("database_url")
    @classmethod
    def _db(cls, v: str) -> str:
        if v.startswith("postgres://"):
            v = "postgresql://" + v[len("postgres://") :]
        if v.startswith("postgresql://"):
            v = "postgresql+asyncpg://" + v[len("postgresql://") :]
        if v.startswith("sqlite:///"):
            v = "sqlite+aiosqlite:///" + v[len("sqlite:///") :]
        if not (v.startswith("sqlite+aiosqlite://") or v.startswith("postgresql+asyncpg://")):
            raise ValueError("expected sqlite+aiosqlite:///file.db or postgresql+asyncpg://…")
        return v

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.default_timezone)


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's report into one line per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = str(err["loc"][0]).upper() if err["loc"] else "?"
            msg = str(err["msg"]).removeprefix("Value error, ")
            lines.append(f"Configuration error: {name}: {msg}")
        raise ConfigError("\n".join(lines)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()

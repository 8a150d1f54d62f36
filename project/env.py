"""Typed readers for settings from the environment.

Each reader fails loudly on a value it cannot understand: a typo in production
configuration must stop the process, not silently fall back to a default.
"""

import os


class ConfigError(RuntimeError):
    pass


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def smtp_settings(url: str) -> dict[str, object]:
    """Django email settings from smtp://user:password@host:port (smtps:// for TLS)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ConfigError(f"EMAIL_URL={url!r} must look like smtp://host:port or smtps://…")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_TIMEOUT": 10,
    }


def cache_settings(url: str) -> dict[str, object]:
    """Django's default cache from CACHE_URL: redis://host:port/db (or rediss://) for
    a cache shared by every process, or empty / locmem:// for one per process."""
    from urllib.parse import urlsplit

    scheme = urlsplit(url).scheme if url else "locmem"
    if scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "samverkan",
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ConfigError(f"CACHE_URL={url!r} must look like redis://host:port/db or locmem://")


def env_int_list(name: str, default: list[int]) -> list[int]:
    raw = env_list(name, [str(value) for value in default])
    try:
        return [int(value) for value in raw]
    except ValueError:
        raise ConfigError(
            f"{name}={','.join(raw)!r} is not a comma-separated list of integers"
        ) from None

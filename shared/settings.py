"""Settings every service shares, read from the environment with defaults that work locally."""

from __future__ import annotations

from datetime import date

from pydantic_settings import BaseSettings, SettingsConfigDict


class PlatformSettings(BaseSettings):
    """Connection strings and messaging behaviour. Override any field with an environment variable of the same
    name in upper case (AMQP_URL, DATABASE_URL, MAX_DELIVERY_ATTEMPTS, ...)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5682/"
    database_url: str = "postgresql+asyncpg://council@127.0.0.1:55432/council_debt"
    events_exchange: str = "council.events"
    dead_letter_exchange: str = "council.dead-letter"
    max_delivery_attempts: int = 5
    """A message that fails this many times goes to its dead-letter queue with the reason."""
    prefetch: int = 256
    """Messages in flight per inbox queue (each queue has a channel of its own); they are handled in adaptive
    batches, so a larger prefetch lets a busy queue commit more messages per transaction."""
    inbox_busy_queue_linger_milliseconds: int = 10
    """How long a busy inbox queue waits for more deliveries before taking a batch smaller than it could be (one
    transaction for many messages instead of a few; 0 turns it off). Quiet queues never wait."""
    inbox_consumes_directly: bool = True
    """Consume the inbox queues with aiormq's `basic_consume` straight into the inbox workers, FastStream only
    documenting them (shared/messaging/direct_consumer.py): the same guarantees for less CPU per delivery. False
    consumes them through FastStream's subscribers, as before issue 21."""
    database_pool_size: int = 16
    relay_batch_size: int = 500
    relay_idle_poll_milliseconds: int = 500
    """The relay is woken by NOTIFY on commit; this is the fallback poll when nothing wakes it."""
    relay_in_process: bool = True
    """False when the relay runs as a process of its own beside the service (`council-debt relay <service>`):
    publishing then never competes with consuming for one interpreter."""
    broker_passwords_file: str | None = None
    """Where the local infrastructure wrote each broker user's password (local system and tests): a service then
    connects as its own user. In compose and Kubernetes each service's AMQP_URL names its user instead."""
    verify_publishers: bool = True
    """Refuse any event whose broker user id is not the owner of its type (shared/broker_identity.py). Never off
    in a deployment; it exists for tools that replay captured traffic into a private broker."""
    business_date: date | None = None
    log_level: str = "INFO"
    log_format: str = "json"
    http_host: str = "127.0.0.1"
    http_port: int | None = None


def platform_settings() -> PlatformSettings:
    """Fresh settings from the current environment (tests change the environment between services)."""
    return PlatformSettings()

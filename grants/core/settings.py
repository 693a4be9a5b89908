"""Settings from environment variables prefixed ``GRANTS_`` (pydantic-settings)."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRANTS_", env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///./grants.db"
    secret_key: str = DEFAULT_SECRET
    # SQLite waits this long for the write lock before giving up; writers queue rather than fail.
    sqlite_busy_timeout_ms: int = 30_000
    # Connections kept open: enough for the server's worker threads, so that busy moments
    # do not open and close overflow connections on every request.
    database_pool_size: int = 20
    database_max_overflow: int = 20
    # Document numbers read "{era year}{prefix}第{n}号" (7特協環第12号), counted per org and year.
    document_prefixes: dict[str, str] = {
        "tokubetsuku-kyogikai": "特協環",
        "shichoson-chosakai": "市調環",
    }
    # Bearer tokens expire after a working day.
    token_ttl_minutes: int = 480
    # Failed sign-ins (``limits`` notation, grants.core.throttle): per username and address,
    # after which each next try waits a pause that doubles; and per username from every
    # address, past which only an address without recent failures is let through.
    sign_in_limit_per_pair: str = "5/15 minutes"
    sign_in_limit_per_username: str = "20/hour"
    sign_in_first_pause_seconds: int = Field(default=60, ge=1, le=3600)
    # Argon2 takes 64 MiB per hash: at most this many at once per process (under 256 MiB),
    # and a request waits this long for a turn before it is answered 503.
    password_hashes_at_once: int = Field(default=3, ge=1, le=64)
    password_hash_wait_seconds: float = Field(default=5.0, ge=0, le=60)
    # The addresses of reverse proxies whose X-Forwarded-For / -Proto are believed (nginx on
    # the same machine: ["127.0.0.1"]). None by default: the client is the peer's address.
    trusted_proxies: list[str] = []

    # Where people reach the site; links in e-mails and calendar feeds start with it.
    base_url: str = "http://127.0.0.1:8000"
    # E-mail (SPEC §7). No host: e-mail is off and notices go to the in-app inbox only.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = 30.0
    mail_from: str = "みどり東京助成金 事務局 <noreply@localhost>"
    # Failed deliveries are retried after 1, 2, 4 … minutes (at most 6 hours apart) and given
    # up after this many tries, to be re-queued by an admin.
    mail_max_attempts: int = 12
    # The first retry's wait (doubling after), and how long a deliverer holds the messages it
    # took: after that a deliverer that died is taken over (longer than a batch takes).
    mail_retry_seconds: int = 60
    mail_lease_seconds: int = 600
    # The clock of reminders and e-mail: "on" runs it inside the web process; a deployment
    # with several web workers sets it off and runs `grants scheduler` once instead.
    scheduler: Literal["on", "off"] = "off"
    scheduler_interval_seconds: int = 60

    # Request bodies other than uploads (JSON, forms) larger than this are refused (413).
    max_json_bytes: int = 1024 * 1024

    # The public site (SPEC §8) as the program's website serves it: the Atom feed and the open
    # data link to it. Unset: the app's own /public/ under base_url.
    public_url: str | None = None
    # The licence of the published results and open data, as its canonical URL.
    publication_license: str = "https://creativecommons.org/licenses/by/4.0/"
    # 360Giving: the publisher prefix (given by 360Giving when a publisher registers) that
    # begins every grant identifier, and each org's identifier in an org-id.guide scheme
    # ({"shichoson-chosakai": "JP-COR-<法人番号>"}); an org without one is named under the prefix.
    threesixtygiving_prefix: str = "360G-midoritokyo"
    org_identifiers: dict[str, str] = {}

    @property
    def public_site_url(self) -> str:
        """Where the public site's pages begin, always ending in a slash."""
        url = self.public_url or f"{self.base_url.rstrip('/')}/public/"
        return url if url.endswith("/") else url + "/"

    @property
    def email_on(self) -> bool:
        return bool(self.smtp_host)

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> "Settings":
        if self.environment == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("GRANTS_SECRET_KEY must be set to a real secret in production")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()

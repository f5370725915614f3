"""Settings from the environment, frozen at start-up.

Every variable is listed, with a comment, in `.env.example`.
"""
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    pass


def _flag(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _development_secret_key(instance_path):
    # Kept in instance/ so that sessions survive a restart and agree across workers.
    path = Path(instance_path) / "dev-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(os.urandom(32).hex())
    return path.read_text().strip()


def _default_database_url(instance_path):
    return f"sqlite:///{Path(instance_path) / 'shifu.sqlite'}"


@dataclass(frozen=True)
class Settings:
    env: str
    secret_key: str
    database_url: str
    time_zone: str
    secure_cookies: bool
    ratelimit_storage_uri: str
    login_rate_limit: str
    login_account_rate_limit: str
    proxy_count: int
    files_root: str
    company_name: str
    hotline: str
    complaint_line: str
    public_url: str
    files_url: str = ""  # s3://bucket/prefix: object storage instead of files_root (app/files/storage.py)
    s3: tuple = ("", "", "", "")  # endpoint URL, region, access key id, secret (empty: boto3's own chain)
    request_log: bool = False  # one JSON line per request on stderr (app/operations.py)
    queue_url: str = ""  # redis://…: jobs on RQ (app/jobs.py); empty: run where asked
    compress_responses: bool = True  # static files, field app and API compressed by the app (app/compression.py)

    def as_flask_config(self):
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "SHIFU_ENV": self.env,
            "SHIFU_TIME_ZONE": self.time_zone,
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "REMEMBER_COOKIE_SECURE": self.secure_cookies,
            "SESSION_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "PERMANENT_SESSION_LIFETIME": 12 * 3600,
            # A technician's phone keeps its token for the whole shift; the session bounds it.
            "WTF_CSRF_TIME_LIMIT": None,
            # Checked by hand in a before_request hook, so bearer-token clients skip it.
            "WTF_CSRF_CHECK_DEFAULT": False,
            "RATELIMIT_STORAGE_URI": self.ratelimit_storage_uri,
            "RATELIMIT_HEADERS_ENABLED": False,
            "SHIFU_LOGIN_RATE_LIMIT": self.login_rate_limit,
            "SHIFU_LOGIN_ACCOUNT_RATE_LIMIT": self.login_account_rate_limit,
            "SHIFU_PROXY_COUNT": self.proxy_count,
            "SHIFU_FILES_ROOT": self.files_root,
            "SHIFU_FILES_URL": self.files_url,
            "SHIFU_REQUEST_LOG": self.request_log,
            "SHIFU_QUEUE_URL": self.queue_url,
            "SHIFU_COMPRESS_RESPONSES": self.compress_responses,
            "S3_ENDPOINT_URL": self.s3[0] or None,
            "S3_REGION": self.s3[1] or None,
            "S3_ACCESS_KEY_ID": self.s3[2] or None,
            "S3_SECRET_ACCESS_KEY": self.s3[3] or None,
            "SHIFU_COMPANY_NAME": self.company_name,
            "SHIFU_HOTLINE": self.hotline,
            "SHIFU_COMPLAINT_LINE": self.complaint_line,
            "SHIFU_PUBLIC_URL": self.public_url,
            "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
            "API_TITLE": "Shifu 师傅 API",
            "API_VERSION": "v1",
            "OPENAPI_VERSION": "3.0.3",
            "OPENAPI_URL_PREFIX": "/api/v1",
            "OPENAPI_JSON_PATH": "openapi.json",
        }


def load_settings(instance_path):
    env = os.environ.get("SHIFU_ENV", "production").strip().lower()
    if env not in ("production", "development", "testing"):
        raise ConfigError(f"SHIFU_ENV must be production, development or testing, not {env!r}")
    secret_key = os.environ.get("SECRET_KEY", "")
    if not secret_key:
        if env == "production":
            raise ConfigError("SECRET_KEY is required in production (set SHIFU_ENV=development to try the app)")
        secret_key = _development_secret_key(instance_path)
    queue_url = os.environ.get("QUEUE_URL", "").strip()
    public_url = (os.environ.get("SHIFU_PUBLIC_URL") or "").rstrip("/")
    if env == "production" and queue_url and not public_url:
        # A worker renders slip PDFs with no request to learn the address from: the QR code would open nowhere.
        raise ConfigError("SHIFU_PUBLIC_URL is required with QUEUE_URL in production (the address a slip's QR code "
                          "opens, e.g. https://fuwu.example.cn)")
    return Settings(
        env=env,
        secret_key=secret_key,
        database_url=os.environ.get("DATABASE_URL") or _default_database_url(instance_path),
        time_zone=os.environ.get("SHIFU_TIME_ZONE", "Asia/Shanghai"),
        secure_cookies=_flag("SECURE_COOKIES", env == "production"),
        ratelimit_storage_uri=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Failed sign-ins only. Per address far above a depot's head count (a shift's technicians share its
        # Wi-Fi, or a carrier's address); per account tight, since that is what a guesser attacks.
        login_rate_limit=os.environ.get("LOGIN_RATE_LIMIT", "60 per minute;300 per hour"),
        login_account_rate_limit=os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "10 per 15 minutes"),
        proxy_count=int(os.environ.get("PROXY_COUNT", "0") or 0),
        files_root=os.environ.get("FILES_ROOT") or str(Path(instance_path) / "files"),
        files_url=os.environ.get("FILES_URL", "").strip(),
        request_log=_flag("REQUEST_LOG", env == "production"),
        queue_url=queue_url,
        compress_responses=_flag("COMPRESS_RESPONSES", True),
        s3=tuple(os.environ.get(name, "").strip() for name in ("S3_ENDPOINT_URL", "S3_REGION", "S3_ACCESS_KEY_ID",
                                                               "S3_SECRET_ACCESS_KEY")),
        company_name=os.environ.get("SHIFU_COMPANY_NAME") or "示范供热有限责任公司",
        hotline=os.environ.get("SHIFU_HOTLINE") or "968111",
        # 000 九.八: the customer is shown the service number and the complaint number.
        complaint_line=os.environ.get("SHIFU_COMPLAINT_LINE") or "968111 转 9",
        public_url=public_url,
    )

"""Settings, all from the environment.

With no configuration the platform runs on an embedded SQLite database and local folders under
``GONGKAI_DATA_DIR`` (default ``./var``); ``DATABASE_URL`` switches to PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("GONGKAI_MEDIA_DIR", DATA_DIR / "media"))
SITE_DIR = Path(os.environ.get("GONGKAI_SITE_DIR", DATA_DIR / "site"))
STATIC_ROOT = Path(os.environ.get("GONGKAI_STATIC_DIR", DATA_DIR / "static"))
# CJK font subsets for PDFs: one set per installation (inside the virtualenv / install prefix), shared by
# every data folder; built by `gongkai fonts` (see gongkai/documents/fonts.py), never by a request.
GONGKAI_FONT_DIR = Path(os.environ.get("GONGKAI_FONT_DIR") or Path(sys.prefix) / "share" / "gongkai" / "fonts")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it


def _dev_audit_key(path: Path) -> str:
    """A development/test audit key, made once per data folder (never used in production)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process may have just created it and not yet written the key
            key = path.read_text(encoding="ascii").strip()
            if key:
                return key
            time.sleep(0.02)
        raise ImproperlyConfigured(f"审计日志密钥文件 {path} 是空的：请删除它或设置 GONGKAI_AUDIT_KEY") from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


DEBUG = _env_bool("GONGKAI_DEBUG", False)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
# Rotating SECRET_KEY: the old key goes here (comma-separated) while what it signed or derived must still work —
# sessions, signed links in mails, and the subscription addresses' look-up and decryption (subscriptions.crypto).
SECRET_KEY_FALLBACKS = [k.strip() for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k.strip()]
# Production is anything that is not explicitly a development or test run.
GONGKAI_ENV = os.environ.get("GONGKAI_ENV", "production")
if GONGKAI_ENV == "production":
    if SECRET_KEY == _DEV_SECRET:
        raise ImproperlyConfigured(
            "生产模式下必须设置 SECRET_KEY 环境变量（不得使用默认密钥）；开发请设置 GONGKAI_ENV=development"
        )
    if DEBUG:
        raise ImproperlyConfigured("生产模式下不得开启 GONGKAI_DEBUG")

# The audit chain's HMAC key (core/audit.py), outside the database and never SECRET_KEY. Retired keys stay in
# GONGKAI_AUDIT_OLD_KEYS (comma-separated) so rows written with them still verify. Development and test runs
# without one use a key generated once into the data folder.
GONGKAI_AUDIT_KEY = os.environ.get("GONGKAI_AUDIT_KEY", "").strip()
GONGKAI_AUDIT_OLD_KEYS = [k.strip() for k in os.environ.get("GONGKAI_AUDIT_OLD_KEYS", "").split(",") if k.strip()]
if GONGKAI_ENV == "production":
    if not GONGKAI_AUDIT_KEY:
        raise ImproperlyConfigured(
            "生产模式下必须设置 GONGKAI_AUDIT_KEY（审计日志密钥，至少 32 个字符，不得与 SECRET_KEY 相同）"
        )
    if len(GONGKAI_AUDIT_KEY) < 32:
        raise ImproperlyConfigured("GONGKAI_AUDIT_KEY 太短：审计日志密钥至少 32 个字符")
elif not GONGKAI_AUDIT_KEY:
    GONGKAI_AUDIT_KEY = _dev_audit_key(DATA_DIR / "audit.key")
if GONGKAI_AUDIT_KEY in (SECRET_KEY, *SECRET_KEY_FALLBACKS) or SECRET_KEY in GONGKAI_AUDIT_OLD_KEYS:
    raise ImproperlyConfigured("GONGKAI_AUDIT_KEY 不得与 SECRET_KEY 相同：持有站点密钥的人不应能重算审计日志")
# The chain's head is appended here at least every GONGKAI_AUDIT_ANCHOR_HOURS by the worker (core/anchors.py).
GONGKAI_AUDIT_ANCHOR_FILE = Path(os.environ.get("GONGKAI_AUDIT_ANCHOR_FILE", DATA_DIR / "audit-anchors.log"))
GONGKAI_AUDIT_ANCHOR_HOURS = float(os.environ.get("GONGKAI_AUDIT_ANCHOR_HOURS", "24"))

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    # Security: login lockout (axes) and the TOTP second factor (django-otp).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "gongkai.core",
    "gongkai.rules",
    "gongkai.workdays",
    "gongkai.orgs",
    "gongkai.accounts",
    "gongkai.catalog",
    "gongkai.screening",
    "gongkai.applications",
    "gongkai.interaction",
    "gongkai.staff",
    "gongkai.portal",
    "gongkai.reports",
    "gongkai.search",
    "gongkai.channels",
    "gongkai.subscriptions",
    "gongkai.documents",
    "gongkai.api",
    "gongkai.harvest",
    "gongkai.inspection",
    "gongkai.worker",
    "gongkai.ops",
    "ninja",
]

CSRF_FAILURE_VIEW = "gongkai.core.middleware.csrf_failure"
MIDDLEWARE = [
    # First: every later layer (lockout, rate limits, audit) sees the client's address, not nginx's.
    "gongkai.core.middleware.ForwardedAddressMiddleware",
    # Whether this request's reads may go to a read replica; pins a browser that just wrote to the primary.
    "gongkai.core.dbrouter.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost of ours, so CSP and friends also land on error and "暂时无法服务" pages.
    "gongkai.core.headers.SecurityHeadersMiddleware",
    # Before anything reads request.POST: GBK forms from old office PCs are decoded, not refused.
    "gongkai.core.middleware.LegacyCharsetMiddleware",
    "gongkai.core.middleware.NulCharacterMiddleware",  # PostgreSQL cannot store NUL: dropped from every field
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Holds a staff session at the second-factor and forced-password-change pages until they are done.
    "gongkai.accounts.security.StaffGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.core.middleware.FriendlyErrorMiddleware",
    # Last, as axes documents: turns a locked-out login into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
    # /api/: per-address rate limits, ETags, CORS for reads.
    "gongkai.api.http.ApiHttpMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.staff.context.staff_nav",
            ],
        },
    }
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0"))
    )
}
#: Seconds a SQLite connection waits for another writer's lock before "database is locked". 20 s keeps a web
#: request that waits under gunicorn's 30 s worker timeout; the task worker retries past it (gongkai worker).
GONGKAI_SQLITE_BUSY_TIMEOUT = float(os.environ.get("GONGKAI_SQLITE_BUSY_TIMEOUT", "20"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # sqlite3.connect(timeout=…) is SQLite's busy timeout: a writer waits, it does not fail at once.
            "timeout": GONGKAI_SQLITE_BUSY_TIMEOUT,
            # Writers take the write lock at BEGIN, where the busy timeout applies. A deferred transaction that
            # reads first and then writes cannot wait: SQLite fails its upgrade with "locked" immediately.
            "transaction_mode": "IMMEDIATE",
            # WAL: readers (the public site build, searches, staff pages) never block on a writer, nor it on them.
            # synchronous=NORMAL is safe in WAL mode (no corruption on power loss; at worst the last commits
            # before the loss roll back) and saves an fsync on every commit. journal_size_limit truncates the
            # WAL file back to 64 MB after a checkpoint, so one large import does not leave a huge file behind.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA journal_size_limit=67108864;",
        }
    )
# Read replicas (streaming standbys of the primary), comma-separated URLs: the router in gongkai.core.dbrouter
# sends the reads of read-only paths there (public API, search) and everything else to the primary.
DATABASE_REPLICA_URLS = [u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()]
#: Seconds a staff session keeps reading from the primary after it changed something (read-your-writes).
GONGKAI_REPLICA_PIN_SECONDS = float(os.environ.get("GONGKAI_REPLICA_PIN_SECONDS", "10"))
#: Read-only paths whose GET requests may read from a replica (gongkai.core.dbrouter).
GONGKAI_REPLICA_PATHS = os.environ.get("GONGKAI_REPLICA_PATHS", "/api/v1/,/search/,/staff/reports/")
#: Connection pool per process (Django 5.2 + psycopg_pool), e.g. "4,16" = min 4, max 16 connections; empty: none.
GONGKAI_DB_POOL = os.environ.get("GONGKAI_DB_POOL", "").strip()


def _pool_options(url: str) -> dict[str, object]:
    if not GONGKAI_DB_POOL or not url.startswith(("postgres://", "postgresql://")):
        return {}
    low, _, high = GONGKAI_DB_POOL.partition(",")
    try:
        sizes = int(low), int(high or low)
    except ValueError:
        raise ImproperlyConfigured(
            f"GONGKAI_DB_POOL 应为“最小,最大”两个整数，如 2,8（当前为 {GONGKAI_DB_POOL!r}）"
        ) from None
    if not 0 <= sizes[0] <= sizes[1] or sizes[1] < 1:
        raise ImproperlyConfigured(
            f"GONGKAI_DB_POOL 的最小值不能大于最大值，最大值至少为 1（当前为 {GONGKAI_DB_POOL!r}）"
        )
    return {"pool": {"min_size": sizes[0], "max_size": sizes[1]}}


if _pool_options(os.environ.get("DATABASE_URL", "")):
    # A pooled connection is handed back at the end of each request; a persistent one would defeat the pool.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(_pool_options(os.environ["DATABASE_URL"]))
for _i, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")))
    if _pool_options(_url):
        _replica["CONN_MAX_AGE"] = 0
        _replica.setdefault("OPTIONS", {}).update(_pool_options(_url))
    # Tests write through the primary and read the standby's copy of the same database: no test database of
    # its own (Django's MIRROR), which is what a streaming replica is.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_i}"] = _replica
if DATABASE_REPLICA_URLS:
    DATABASE_ROUTERS = ["gongkai.core.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "gongkai.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 等保: three of upper/lower/digit/symbol.
    {"NAME": "gongkai.accounts.passwords.ComplexityValidator", "OPTIONS": {"min_classes": 3}},
    # Not guessable (zxcvbn score ≥ 3): Passw0rd! and a unit's pinyin name plus a year are refused.
    {"NAME": "gongkai.accounts.passwords.StrengthValidator", "OPTIONS": {"min_score": 3}},
    # Not a check: its password_changed hook stamps the change date the expiry rule reads.
    {"NAME": "gongkai.accounts.passwords.ChangeRecorder"},
]
# Words a password must not be built on, besides the units' pinyin names (comma-separated).
GONGKAI_PASSWORD_WORDS = os.environ.get("GONGKAI_PASSWORD_WORDS", "gongkai,zhengwu,zwgk,xxgk,gov,admin,mima")
# Days after which a password must be changed; 0 turns expiry off.
GONGKAI_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("GONGKAI_PASSWORD_MAX_AGE_DAYS", "90"))
# Roles that cannot work without a confirmed TOTP device (三员: the system administrator).
GONGKAI_OTP_REQUIRED_ROLES = [
    r.strip() for r in os.environ.get("GONGKAI_OTP_REQUIRED_ROLES", "sysadmin").split(",") if r.strip()
]
# Hours a one-time enrolment code (printed by `gongkai user add --role sysadmin`) stays valid for binding 2FA.
GONGKAI_ENROL_CODE_HOURS = int(os.environ.get("GONGKAI_ENROL_CODE_HOURS", "72"))
# A password reset's one-time code (gongkai.accounts.resets): valid this many hours; this many wrong codes void it.
GONGKAI_RESET_CODE_HOURS = int(os.environ.get("GONGKAI_RESET_CODE_HOURS", "72"))
GONGKAI_RESET_CODE_TRIES = int(os.environ.get("GONGKAI_RESET_CODE_TRIES", "5"))
OTP_TOTP_ISSUER = os.environ.get("GONGKAI_OTP_ISSUER", "政务公开工作平台")

# Lockout (django-axes, GB/T 22239-2019 8.1.4.1 b 登录失败处理), built so it cannot be used to lock others out:
# - 5 failures lock the (account, address) pair for 15 minutes: the one guessing from that address is stopped for
#   that account, while its owner still logs in from elsewhere;
# - the account as a whole is locked only after GONGKAI_LOGIN_ACCOUNT_FAILURE_LIMIT failures from many addresses,
#   and one address for everyone only after GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT failures against many accounts
#   (each address's, or account's, share counted up to the pair limit: gongkai.accounts.selectors).
AUTHENTICATION_BACKENDS = [
    "gongkai.accounts.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("GONGKAI_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "gongkai.accounts.security.LockoutHandler"
GONGKAI_LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOGIN_ACCOUNT_FAILURE_LIMIT", "50"))
GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT", "100"))
# Growing delays before the lock: after the 1st, 2nd, 3rd … failure of a pair, that pair's next try is refused
# until so many seconds have passed (the last figure repeats), without counting as a failure. A person retyping
# never notices; a script guessing from one address gets a handful of guesses a minute. Tests run without them
# (tests/accounts/test_login_delays.py sets them), so the lockout tests can fail five times in a row.
GONGKAI_LOGIN_DELAYS = tuple(
    int(n) for n in os.environ.get("GONGKAI_LOGIN_DELAYS", "0" if GONGKAI_ENV == "test" else "1,2,4,8").split(",")
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gongkai.accounts.security.lockout_response"
AXES_VERBOSE = False
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# WhiteNoise serves the staff UI's assets from the app (no DEBUG needed); outside production it finds them
# in the apps directly, in production from STATIC_ROOT after `gongkai collectstatic`.
WHITENOISE_USE_FINDERS = GONGKAI_ENV != "production"
WHITENOISE_AUTOREFRESH = GONGKAI_ENV == "development"
MEDIA_URL = "/media/"

# Object storage (any S3-compatible server: SeaweedFS, MinIO, a cloud's). GONGKAI_MEDIA_STORAGE=s3 keeps the
# uploaded files (attachments, letters, archive packages) in GONGKAI_S3_BUCKET; GONGKAI_SITE_TARGET=s3 publishes
# the built public site into GONGKAI_SITE_BUCKET under GONGKAI_SITE_PREFIX (gongkai.portal.targets). The local
# folders (MEDIA_ROOT, SITE_DIR) stay the default.
GONGKAI_MEDIA_STORAGE = os.environ.get("GONGKAI_MEDIA_STORAGE", "local").strip().lower()
GONGKAI_SITE_TARGET = os.environ.get("GONGKAI_SITE_TARGET", "local").strip().lower()
GONGKAI_S3_ENDPOINT = os.environ.get("GONGKAI_S3_ENDPOINT", "")
GONGKAI_S3_REGION = os.environ.get("GONGKAI_S3_REGION", "us-east-1")
GONGKAI_S3_ACCESS_KEY = os.environ.get("GONGKAI_S3_ACCESS_KEY", "")
GONGKAI_S3_SECRET_KEY = os.environ.get("GONGKAI_S3_SECRET_KEY", "")
GONGKAI_S3_BUCKET = os.environ.get("GONGKAI_S3_BUCKET", "")
GONGKAI_SITE_BUCKET = os.environ.get("GONGKAI_SITE_BUCKET", GONGKAI_S3_BUCKET)
GONGKAI_SITE_PREFIX = os.environ.get("GONGKAI_SITE_PREFIX", "site/")
#: Full-build releases kept in the bucket (the current one and the ones before it, for a rollback).
GONGKAI_SITE_KEEP_RELEASES = max(2, int(os.environ.get("GONGKAI_SITE_KEEP_RELEASES", "3")))
for _name, _value in (("GONGKAI_MEDIA_STORAGE", GONGKAI_MEDIA_STORAGE), ("GONGKAI_SITE_TARGET", GONGKAI_SITE_TARGET)):
    if _value not in ("local", "s3"):
        raise ImproperlyConfigured(f"{_name} 只能是 local 或 s3（当前为 {_value!r}）")


def s3_media_storage(
    bucket: str, *, endpoint: str = "", access_key: str = "", secret_key: str = "", region: str = ""
) -> dict[str, object]:
    """The STORAGES entry for uploaded files in ``bucket`` (private: every read goes through the application)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint or GONGKAI_S3_ENDPOINT or None,
            "region_name": region or GONGKAI_S3_REGION,
            "access_key": access_key or GONGKAI_S3_ACCESS_KEY,
            "secret_key": secret_key or GONGKAI_S3_SECRET_KEY,
            "addressing_style": "path",
            "signature_version": "s3v4",
            # Same as the local folder: a second file of the same name gets a new name, none is overwritten.
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }


STORAGES = {
    "default": (
        s3_media_storage(GONGKAI_S3_BUCKET)
        if GONGKAI_MEDIA_STORAGE == "s3"
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if "s3" in (GONGKAI_MEDIA_STORAGE, GONGKAI_SITE_TARGET) and not (
    GONGKAI_S3_ENDPOINT or os.environ.get("AWS_CONFIG_FILE") or GONGKAI_S3_ACCESS_KEY
):
    raise ImproperlyConfigured("使用对象存储（s3）时必须设置 GONGKAI_S3_ENDPOINT 和访问密钥 GONGKAI_S3_ACCESS_KEY")
if GONGKAI_MEDIA_STORAGE == "s3" and not GONGKAI_S3_BUCKET:
    raise ImproperlyConfigured("GONGKAI_MEDIA_STORAGE=s3 时必须设置存储桶 GONGKAI_S3_BUCKET")
if GONGKAI_SITE_TARGET == "s3" and not GONGKAI_SITE_BUCKET:
    raise ImproperlyConfigured("GONGKAI_SITE_TARGET=s3 时必须设置存储桶 GONGKAI_SITE_BUCKET")
LOGIN_URL = "/staff/login/"
LOGIN_REDIRECT_URL = "/staff/"
LOGOUT_REDIRECT_URL = "/staff/login/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(os.environ.get("GONGKAI_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: every request pushes the expiry forward
SESSION_COOKIE_SECURE = GONGKAI_ENV == "production"
CSRF_COOKIE_SECURE = GONGKAI_ENV == "production"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if GONGKAI_ENV != "development":
    # Sent on HTTPS responses only (Django's SecurityMiddleware); `make run` is plain HTTP on a laptop.
    SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses, e.g. 127.0.0.1 for nginx on
# the same host). Empty: the header is ignored and the peer address is the client's.
GONGKAI_TRUSTED_PROXIES = frozenset(
    a.strip() for a in os.environ.get("GONGKAI_TRUSTED_PROXIES", "").split(",") if a.strip()
)
if _env_bool("GONGKAI_BEHIND_TLS_PROXY"):
    # nginx terminates TLS and says so; without this Django never sees the request as secure.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No inline script or style anywhere: templates load CSS/JS from /static/ and images may be data: URIs (QR codes).
GONGKAI_CSP = os.environ.get(
    "GONGKAI_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
)
GONGKAI_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
GONGKAI_MAX_ATTACHMENT_BYTES = int(os.environ.get("GONGKAI_MAX_ATTACHMENT_BYTES", str(50 * 1024 * 1024)))
# Public base URL of the site, used in feeds, sitemaps and QR codes.
GONGKAI_PUBLIC_URL = os.environ.get("GONGKAI_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("GONGKAI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The task worker (`gongkai worker`): a heartbeat every few seconds; a task left RUNNING by a worker whose
# heartbeat is older than the timeout is put back in the queue by any live worker and by `recover-tasks`.
GONGKAI_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("GONGKAI_WORKER_HEARTBEAT_SECONDS", "5"))
GONGKAI_WORKER_HEARTBEAT_TIMEOUT = float(os.environ.get("GONGKAI_WORKER_HEARTBEAT_TIMEOUT", "60"))
# How long a task that keeps failing on a transient database error (locked, connection lost) is retried as a
# whole before it is marked failed; the retries back off up to GONGKAI_WORKER_MAX_BACKOFF seconds apart.
GONGKAI_WORKER_TASK_RETRY_MINUTES = float(os.environ.get("GONGKAI_WORKER_TASK_RETRY_MINUTES", "30"))
GONGKAI_WORKER_MAX_BACKOFF = float(os.environ.get("GONGKAI_WORKER_MAX_BACKOFF", "30"))
# The worker removes finished task rows (worker/pruning.py): succeeded ones after GONGKAI_TASK_KEEP_DAYS, failed
# ones after GONGKAI_TASK_KEEP_FAILED_DAYS, checking at most once every GONGKAI_TASK_PRUNE_MINUTES (0: never).
GONGKAI_TASK_KEEP_DAYS = float(os.environ.get("GONGKAI_TASK_KEEP_DAYS", "7"))
GONGKAI_TASK_KEEP_FAILED_DAYS = float(os.environ.get("GONGKAI_TASK_KEEP_FAILED_DAYS", "30"))
GONGKAI_TASK_PRUNE_MINUTES = float(os.environ.get("GONGKAI_TASK_PRUNE_MINUTES", "60"))

# Push of the harvest change log (gongkai.harvest.push): POSTed to GONGKAI_PUSH_URL, signed with HMAC-SHA256 of
# GONGKAI_PUSH_SECRET; each batch is tried GONGKAI_PUSH_TRIES times, GONGKAI_PUSH_BACKOFF seconds apart (doubling),
# then again after a pause that grows up to GONGKAI_PUSH_MAX_BACKOFF seconds. Empty URL: no push.
# How the annual report's table 四 counts appeals that span years: carry (default) or filed (applications.selectors).
GONGKAI_APPEAL_COUNTING = os.environ.get("GONGKAI_APPEAL_COUNTING", "carry")
GONGKAI_PUSH_URL = os.environ.get("GONGKAI_PUSH_URL", "")
GONGKAI_PUSH_SECRET = os.environ.get("GONGKAI_PUSH_SECRET", "")
GONGKAI_PUSH_TIMEOUT = float(os.environ.get("GONGKAI_PUSH_TIMEOUT", "10"))
GONGKAI_PUSH_BATCH = int(os.environ.get("GONGKAI_PUSH_BATCH", "100"))
GONGKAI_PUSH_TRIES = int(os.environ.get("GONGKAI_PUSH_TRIES", "3"))
GONGKAI_PUSH_BACKOFF = float(os.environ.get("GONGKAI_PUSH_BACKOFF", "2"))
GONGKAI_PUSH_MAX_BACKOFF = float(os.environ.get("GONGKAI_PUSH_MAX_BACKOFF", "3600"))

# Self-inspection (gongkai.inspection): the public address the staff page's 重新检查 probes (国办秘函〔2019〕19号
# 站点无法访问: 15 s). Empty: no probe.
GONGKAI_INSPECTION_URL = os.environ.get("GONGKAI_INSPECTION_URL", "")

# Per-address rate limits, "scope=requests/seconds,…"
# (scopes: submit, track, api_submit, search, api, api_write, harvest).
from gongkai.core.limits import parse_limits as _parse_limits  # noqa: E402

GONGKAI_RATE_LIMITS = _parse_limits(os.environ.get("GONGKAI_RATE_LIMITS", ""))
#: Search counts matches exactly up to this many; past it the newest this many are paged and ranked.
GONGKAI_SEARCH_COUNT_LIMIT = max(100, int(os.environ.get("GONGKAI_SEARCH_COUNT_LIMIT", "10000")))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gongkai@localhost")
# Progress mails to an applicant who gave an e-mail address (received, 补正, extended, transferred, answered);
# `gongkai remind` sends again what failed, up to this many tries (gongkai.applications.notify).
GONGKAI_APPLICANT_MAIL = os.environ.get("GONGKAI_APPLICANT_MAIL", "1") not in ("0", "false", "no", "")
GONGKAI_APPLICANT_MAIL_TRIES = max(1, int(os.environ.get("GONGKAI_APPLICANT_MAIL_TRIES", "3")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "WARNING")},
}

"""Request-wide protections: sessions or bearer tokens, CSRF, security headers, safe redirects."""
from urllib.parse import urlsplit

from flask import current_app, request, session
from flask_login import current_user

from app.auth.access import first_password_first
from app.database import begin_reads, write_intent
from app.errors import ValidationFailed
from app.extensions import csrf, db, login_manager

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def bearer_token():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@login_manager.user_loader
def load_user(user_id):
    from app.auth import sessions

    if bearer_token():
        return None  # a request that names a token is judged by the token alone
    return sessions.user_of(session.get(sessions.SESSION_KEY), user_id)


@login_manager.request_loader
def load_user_from_token(_request):
    from app.auth.services import user_for_token

    token = bearer_token()
    if token is None:
        return None
    return user_for_token(token)


def is_safe_next(target):
    """Only paths on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


NUL = "\x00"
HOLDS_NUL = "不能含空字符(\\0)"


def where_nul_is():
    """The name of the first thing in the request whose text holds NUL ("path" for the path itself), or
    None. PostgreSQL's text can neither store nor compare a NUL: one in a search box or a description
    would answer 500 there (and be stored in SQLite), so it is refused on the way in, for every route.
    The OpenAPI document says so of every string (api.documented_text)."""
    if NUL in request.path:
        return "path"
    pairs = list(request.args.items(multi=True))
    if request.method not in SAFE_METHODS:
        pairs += request.form.items(multi=True)
    for name, value in pairs:
        if NUL in name or NUL in value:
            return name.replace(NUL, "")
    if request.is_json:
        return _json_nul(request.get_json(silent=True))
    return None


def _json_nul(document):
    """The top-level key under which a string holds NUL, or None."""
    tops = document.items() if isinstance(document, dict) else [("body", document)]
    for top, value in tops:
        stack = [top, value]
        while stack:
            item = stack.pop()
            if isinstance(item, str) and NUL in item:
                return top.replace(NUL, "") if isinstance(top, str) else "body"
            if isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return None


def before_request():
    write_intent.set(request.method not in SAFE_METHODS)
    if request.method in SAFE_METHODS:
        begin_reads(db.session, current_app.view_functions.get(request.endpoint))
    name = where_nul_is()
    if name is not None:
        raise ValidationFailed(f"提交的内容{HOLDS_NUL},请删除后重试。", {name: [HOLDS_NUL]})
    answer = first_password_first()
    if answer is not None:
        return answer
    if request.method in SAFE_METHODS or bearer_token():
        return
    if request.path.startswith("/api/") and not current_user.is_authenticated:
        # No credentials at all: the view answers 401, which says what is missing (not "page expired").
        # Signing in through the API takes JSON only, which a page on another site cannot send without a
        # CORS preflight that this app never grants: no login CSRF without a token (the desk's form has one).
        return
    csrf.protect()


def after_request(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), microphone=()")
    if request.endpoint != "static" and (request.path.startswith("/api/") or current_user.is_authenticated):
        headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    # Off: a session is a server-side row (app/auth/sessions.py), and nothing asks for a "fresh" login. Its
    # "basic" mode only marked a session not fresh, rewriting the cookie on an anonymous page: such a response
    # finishing after a sign-in (the service worker storing the shell) put the signed-out cookie back.
    login_manager.session_protection = None
    app.before_request(before_request)
    app.after_request(after_request)

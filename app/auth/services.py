"""Who may come in: Argon2id passwords and hashed bearer tokens."""
import functools
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam

from app.audit.services import record
from app.auth import sessions
from app.auth.models import ROLES, ApiToken, User
from app.errors import NotFound, RuleBroken, ValidationFailed
from app.extensions import db

# OWASP's minimum for Argon2id: 19 MiB, two passes, one lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a password")


def hash_password(password):
    return _hasher.hash(password)


def authenticate(username, password):
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def create_user(username, password, name, role, **extra):
    """`extra`: a technician's badge_number, branch and areas (technician_placement), phone.

    :raise ValidationFailed: role, password; a technician that routing could never reach.
    """
    if role not in ROLES:
        raise ValidationFailed("没有这个角色。", {"role": [f"须为 {', '.join(ROLES)} 之一"]})
    if role == "technician" and not (extra.get("badge_number") and extra.get("branch") and extra.get("areas")):
        raise ValidationFailed("维修师傅须有工号、分公司和片区,否则派单找不到他。",
                               {"badge_number": ["必填"], "branch": ["必填"], "areas": ["至少一个片区"]})
    _check_password(password)
    user = User(username=username, password_hash=hash_password(password), name=name, role=role, **extra)
    db.session.add(user)
    db.session.flush()
    return user


def _check_password(password, field="password"):
    if len(password) < 8:
        raise ValidationFailed("密码至少 8 位。", {field: ["至少 8 位"]})


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user, label=""):
    """Returns the token itself once; only its digest is kept."""
    token = "shifu_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token), label=label))
    db.session.flush()
    record(user, "user", user.id, "create_token", label=label)
    return token


@functools.cache
def _token_and_user():
    """Every phone request starts here: the statement made once (its cache key with it), the digest bound."""
    return db.select(User).join(ApiToken, ApiToken.user_id == User.id).where(
        ApiToken.token_hash == bindparam("digest"), ApiToken.revoked_at.is_(None))


def user_for_token(token):
    user = db.session.execute(_token_and_user(), {"digest": _digest(token)}).scalar_one_or_none()
    if user is None or not user.active:
        return None
    return user


def find_user(username):
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    if user is None:
        raise NotFound(f"没有用户 {username}。")
    return user


def change_password(actor, user, password):
    """A new password (the user's own change or an admin's reset) ends every session and token the old
    one opened: whoever had the phone or a copied cookie is out."""
    _check_password(password)
    user.password_hash = hash_password(password)
    sessions.end_all(user, actor, "password")
    record(actor, "user", user.id, "change_password")


def change_own_password(user, current, new, again):
    """The user's own new password: the current one first, the new one twice. Ends every session and
    token (the caller starts a fresh session for the device in hand) and the first password's hold.

    :raise RuleBroken: naming the field at fault (what no schema can say: the current password, the two
        new ones alike). :raise ValidationFailed: a new password too short."""
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError) as error:
        raise RuleBroken("当前密码不正确。", {"current": ["当前密码不正确"]}) from error
    if new != again:
        raise RuleBroken("两次输入的新密码不一致。", {"again": ["与新密码不一致"]})
    if new == current:
        raise RuleBroken("新密码不能与当前密码相同。", {"new": ["须与当前密码不同"]})
    _check_password(new, "new")
    change_password(user, user, new)
    user.must_change_password = False
    db.session.flush()


def deactivate(actor, user):
    user.active = False
    sessions.end_all(user, actor, "deactivated")
    record(actor, "user", user.id, "deactivate")


def technician_placement(badge_number, branch_code, area_names):
    """A technician's badge, branch and areas, checked: the areas must be the branch's.

    :raise ValidationFailed: a badge taken, an unknown branch or area, an area of another branch.
    """
    from app.branches.models import Area, Branch

    problems = {}
    badge_number = (badge_number or "").strip()
    if not badge_number:
        problems["badge_number"] = ["请填写工号"]
    elif db.session.execute(db.select(User.id).filter_by(badge_number=badge_number)).first():
        problems["badge_number"] = [f"工号 {badge_number} 已被使用"]
    branch = db.session.execute(db.select(Branch).filter_by(code=(branch_code or "").strip())).scalar_one_or_none()
    if branch is None:
        problems["branch"] = [f"没有代码为 {branch_code} 的分公司"]
    names = [name.strip() for name in area_names if name.strip()]
    areas = db.session.execute(db.select(Area).where(Area.name.in_(names))).scalars().all()
    unknown = sorted(set(names) - {area.name for area in areas})
    if not names or unknown:
        problems["areas"] = [f"没有片区:{'、'.join(unknown)}" if unknown else "至少一个片区"]
    elif branch is not None and any(area.branch_id != branch.id for area in areas):
        problems["areas"] = [f"片区须属于{branch.name}"]
    if problems:
        raise ValidationFailed("维修师傅的工号、分公司或片区有误。", problems)
    return {"badge_number": badge_number, "branch": branch, "areas": list(areas)}

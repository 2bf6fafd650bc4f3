"""Signed links in mails (django.core.signing): they need no login and cannot be forged.

Each purpose has its own salt, so a link made for one purpose is refused for another.
"""

from django.core import signing

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
FOLLOW_SALT = "notifications.follow"
UNFOLLOW_SALT = "notifications.unfollow"
# A confirmation link is good for a week; unsubscribe and unfollow links never expire,
# since an old mail must still let its reader stop the next one.
FOLLOW_MAX_AGE = 7 * 24 * 3600


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind); raises signing.BadSignature for anything not made by us."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["k"])


def follow_token(*, email: str, target: str, target_id: int, language: str) -> str:
    """The confirmation link's token: what to follow, to be stored only when used."""
    return signing.dumps({"e": email, "t": target, "i": target_id, "l": language}, salt=FOLLOW_SALT)


def read_follow_token(token: str) -> dict:
    """{"e": email, "t": "recommendation"|"board", "i": id, "l": language}; raises
    signing.BadSignature (or SignatureExpired after a week)."""
    return signing.loads(token, salt=FOLLOW_SALT, max_age=FOLLOW_MAX_AGE)


def read_expired_follow_token(token: str) -> dict:
    """What a confirmation link past its week was for, its signature still checked but not
    its age: to lead its reader back to the page where they ask again. Raises
    signing.BadSignature."""
    return signing.loads(token, salt=FOLLOW_SALT)


def unfollow_token(email: str) -> str:
    return signing.dumps({"e": email}, salt=UNFOLLOW_SALT)


def read_unfollow_token(token: str) -> str:
    return str(signing.loads(token, salt=UNFOLLOW_SALT)["e"])

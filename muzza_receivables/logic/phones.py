"""Phone numbers the way a reminder call or message needs them: E.164 from
the partner's country, whether it is a mobile, and the links to call it or
write to it on WhatsApp."""

from collections import namedtuple
from urllib.parse import quote

import phonenumbers

Phone = namedtuple("Phone", "e164 valid mobile")

_MOBILE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def normalize(number, country_code=None):
    """The number in E.164 (``+34612345678``), whether it is valid for its
    country, and whether it can be a mobile. An empty number gives
    ``Phone("", True, False)`` (nothing to flag); one that cannot be read
    gives ``Phone("", False, False)``."""
    number = (number or "").strip()
    if not number:
        return Phone("", True, False)
    try:
        parsed = phonenumbers.parse(number, (country_code or "").upper() or None)
    except phonenumbers.NumberParseException:
        return Phone("", False, False)
    if not phonenumbers.is_valid_number(parsed):
        return Phone("", False, False)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return Phone(e164, True, phonenumbers.number_type(parsed) in _MOBILE)


def tel_link(e164):
    """``tel:+34612345678``, or "" without a number."""
    return "tel:%s" % e164 if e164 else ""


def whatsapp_link(e164, text=""):
    """``https://wa.me/34612345678?text=...``, or "" without a number."""
    if not e164:
        return ""
    link = "https://wa.me/%s" % e164.lstrip("+")
    if text:
        link += "?text=%s" % quote(text, safe="")
    return link

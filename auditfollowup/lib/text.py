"""Text typed or pasted by people, made fit for formats stricter than a web page.

XML 1.0 (the Atom feed, the DCAT catalogue, an xlsx file) cannot hold most ASCII control
characters, and Django's feed writer refuses them, failing the whole feed for one. Word's
manual line break is one of them (a vertical tab), so pasted text brings them in.
"""

import re

# Those XML 1.0 cannot hold: every control character but tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
LINE_BREAKS = frozenset("\x0b\x0c")  # Word's manual line break, a page break


def without_control_characters(text: str) -> str:
    """``text`` with line and page breaks as new lines and other control characters left
    out."""
    if not CONTROL_CHARACTERS.search(text):
        return text
    return CONTROL_CHARACTERS.sub(lambda m: "\n" if m.group() in LINE_BREAKS else "", text)

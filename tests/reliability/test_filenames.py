"""An upload named `invoice\u202efdp.exe` was stored and served as is: U+202E (right-to-left
override) makes it display as `invoiceexe.pdf`. Control characters (Unicode's Cc), format
characters (Cf: every Bidi_Control, zero-width and other invisible ones) and line and paragraph
separators are now stripped from stored filenames, so `Content-Disposition` never carries them
either."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from impl.services.attachments import safe_filename
from tests.service.conftest import User

# Unicode's Bidi_Control property, all of it.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = "\u200b\u200d\u2060\ufeff\u00ad\u2028\u2029"
CONTROLS = "\x00\x07\x1b\x7f\x85\x9f"


@pytest.mark.parametrize("character", BIDI_CONTROLS + INVISIBLE + CONTROLS)
def test_each_control_or_format_character_is_stripped(character: str) -> None:
    assert safe_filename(f"invoice{character}fdp.exe") == "invoicefdp.exe"


def test_legible_names_are_kept() -> None:
    assert safe_filename("notes é.txt") == "notes é.txt"
    assert safe_filename("تقرير.pdf") == "تقرير.pdf"  # right-to-left text, no override needed
    assert safe_filename("\u202e") == "file"


@given(st.text())
def test_no_stored_name_has_a_control_or_format_character(name: str) -> None:
    stored = safe_filename(name)
    assert stored
    assert not [c for c in stored if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Cs"}]


async def test_an_uploaded_override_is_neither_stored_nor_served(ada: User) -> None:
    project = await ada.project()
    task = await ada.task(project["id"])
    upload = await ada.post(
        f"/v1/tasks/{task['id']}/attachments",
        files={"file": ("invoice\u202efdp\u2066.exe", b"MZ", "application/zip")},
    )
    assert upload.status_code == 201, upload.text
    assert upload.json()["filename"] == "invoicefdp.exe"
    download = await ada.get(f"/v1/attachments/{upload.json()['id']}/content")
    disposition = download.headers["content-disposition"]
    assert "invoicefdp.exe" in disposition
    assert not set(unquote(disposition)) & set(BIDI_CONTROLS)

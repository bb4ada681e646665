"""What `try` says when no layout fits: for each layout, which of its `when` texts and
`when_form` field names the document has and which it lacks.

The document is read as the step read it (the same page limit, input limits and OCR) and the
texts are matched on the same reading-order text with the same comparison the step uses, so
what is listed as missing is exactly what kept the layout from being chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bots.kernel import StepContext
from bots.kernel.errors import BotError
from bots.pdf.document import Document, load_document
from bots.pdf.limits import limits_for
from bots.pdf.value_types import flat


def layout_hints(params: Any, path: Path, ctx: StepContext) -> list[dict[str, Any]]:
    """[{name, found, missing, found_form, missing_form}] per layout; [] when unreadable."""
    layouts = getattr(params, "layouts", None)
    if not layouts:
        return []
    try:  # what the step could read, this can: the step has read it already
        document = load_document(path, getattr(params, "max_pages", 50),
                                 limits_for(getattr(params, "limits", None), ctx),
                                 ocr=getattr(params, "ocr", None))
        text = flat(document.text) if any(layout.when for layout in layouts) else ""
    except BotError:
        return []
    return [layout_hint(layout, document, text) for layout in layouts]


def layout_hint(layout: Any, document: Document, text: str) -> dict[str, Any]:
    """One layout's `when` texts and `when_form` names, found or missing."""
    forms = list(getattr(layout, "when_form", None) or [])
    has_field = {name: form_has(document, name) for name in forms}
    return {"name": layout.name,
            "found": [marker for marker in layout.when if flat(marker) in text],
            "missing": [marker for marker in layout.when if flat(marker) not in text],
            "found_form": [name for name in forms if has_field[name]],
            "missing_form": [name for name in forms if not has_field[name]]}


def form_has(document: Document, name: str) -> bool:
    """Whether a form field of that name is there (two that fit: there, but ambiguous)."""
    try:
        return document.form.field(name) is not None
    except BotError:  # FORM_FIELD_AMBIGUOUS: present, and the step says why it did not fit
        return True


def hint_text(hint: dict[str, Any]) -> str:
    """'layout acme: missing 'CL-100', form field 'policyNo' (found 'ACME Mutual')'."""
    def named(texts: str, fields: str) -> str:
        return ", ".join([repr(text) for text in hint.get(texts, [])]
                         + [f"form field {name!r}" for name in hint.get(fields, [])])

    found = named("found", "found_form")
    return (f"  layout {hint['name']}: missing {named('missing', 'missing_form') or 'nothing'}"
            + (f" (found {found})" if found else ""))

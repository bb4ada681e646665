"""`pdf show`'s view of a fillable form: each field with the names a `form_field:` rule may use.

A rule may name a field by its full qualified name, a tail of it or its short name
(bots/pdf/form.py); a name that fits two fields is FORM_FIELD_AMBIGUOUS. So beside each field
this shows the shortest name that picks it alone ("Witness.Name" where two fields are called
"Name"), found with the reader's own matching, and marks short names that are shared.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bots.pdf.document import Document
from bots.pdf.form import INDEX, name_fits, name_parts


def form_fields(document: Document) -> list[Any]:
    """The document's form fields in page order (a mapping by name in older readers)."""
    form: Any = document.form
    return list(form.values()) if isinstance(form, dict) else list(form)


def form_data(document: Document) -> list[dict[str, Any]]:
    """Every field: full and short name, the name to use, kind, value, page and box."""
    fields = form_fields(document)
    shared = Counter(short_name(field) for field in fields)
    return [field_data(field, fields, shared[short_name(field)] > 1) for field in fields]


def field_data(field: Any, fields: list[Any], shared: bool) -> dict[str, Any]:
    data = {"full_name": str(field.name), "short_name": short_name(field),
            "use": shortest_name(field, fields), "short_name_shared": shared,
            "kind": str(getattr(field, "kind", "") or "-"), "value": field.value,
            "page": field.page, "box": [round(number, 1) for number in field.box]}
    if getattr(field, "checked", None) is not None:
        data["checked"] = field.checked
    return data


def short_name(field: Any) -> str:
    return str(getattr(field, "short_name", None) or str(field.name).rsplit(".", 1)[-1])


def shortest_name(field: Any, fields: list[Any]) -> str:
    """The shortest tail of the full name, indexes dropped, that fits this field alone."""
    parts = name_parts(str(field.name))
    for size in range(1, len(parts) + 1):
        asked = ".".join(INDEX.sub("", part) for part in parts[-size:])
        exact = [other for other in fields if other.name == asked]
        if (exact or [other for other in fields if name_fits(asked, other)]) == [field]:
            return asked
    return str(field.name)


def form_text(fields: list[dict[str, Any]]) -> list[str]:
    """The form fields as a table: the name to use, kind, page, value, full name."""
    if not fields:
        return ["\n== no form fields"]
    width = max(len(field["use"]) for field in fields)
    out = [f"\n== {len(fields)} form field(s). `form_field:` takes the full name, a tail of "
           "it or the short name; USE is the shortest that picks the field alone",
           f"{'USE':<{width}}  {'KIND':<9} PAGE  {'VALUE':<24} FULL NAME"]
    out += [f"{field['use']:<{width}}  {field['kind']:<9} {field['page']:<5} "
            f"{field['value']!r:<24} {field['full_name']}" for field in fields]
    shared = sorted({field["short_name"] for field in fields if field["short_name_shared"]})
    if shared:
        out.append(f"(short names of several fields, ambiguous alone: {', '.join(shared)})")
    return out

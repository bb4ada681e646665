"""The frame a recipe's ``frame:`` names: an iframe by its name, its title or a CSS selector.

``outer >> inner`` goes into a frame inside a frame. A name is looked up among the frames
Playwright already knows (no browser call); a title or selector by one search in the parent
frame (iframes inside open shadow roots included), waiting while the iframe is not there yet.
"""

from __future__ import annotations

from playwright.async_api import Frame, Page

from bots.web.find_search import marked, new_token, search
from bots.web.guard import translated
from bots.web.targets import ControlMissing

NESTED = ">>"


async def frame_of(page: Page, spec: str | None) -> Frame:
    """The frame to work in: the page's main frame, or the one `spec` names."""
    frame = page.main_frame
    for part in (spec or "").split(NESTED):
        if part.strip():
            frame = await _child(frame, part.strip(), spec or "")
    return frame


async def _child(parent: Frame, part: str, spec: str) -> Frame:
    for child in parent.child_frames:
        if child.name == part:
            return child
    token = new_token()
    answer = await search(parent, "frame", part, token)
    if answer["status"] == "found":
        async with translated(f"entering the frame '{part}'"):
            handle = await marked(parent, token).element_handle()
            inside = await handle.content_frame()
        if inside is not None:
            return inside
    seen = ", ".join(repr(name) for name in answer.get("seen", [])) or "none"
    raise ControlMissing(f"No frame '{part}' on {parent.url} (frame: {spec!r}); its frames are: "
                         f"{seen}. frame: takes an iframe's name, title or a CSS selector; "
                         f"'outer >> inner' for a frame inside a frame.",
                         what="frame", name=spec, seen=answer.get("seen", []), url=parent.url)

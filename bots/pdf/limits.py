"""What one input document may cost: its file size, pages, inflated bytes and image pixels.

A file above a limit is refused with a ``BusinessError`` whose code says which limit
(FILE_TOO_LARGE, TOO_MANY_PAGES, CONTENT_TOO_LARGE, IMAGE_TOO_LARGE) and whose message names
the file, the limit, the actual size and the setting to raise (``settings.limits`` of the
recipe, or the step's own ``limits:``). A person must look: these are never retried, and the
batch goes on. The recipe's ``settings.limits`` section is this model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bots.kernel.errors import BusinessError

MB = 1024 * 1024


class InputLimits(BaseModel):
    """What one input may cost: documents above a limit become coded exceptions."""

    model_config = ConfigDict(extra="forbid")

    max_file_mb: float = Field(default=100, gt=0,
                               description="Largest input file (FILE_TOO_LARGE).")
    max_pages: int = Field(default=500, ge=1, description="Most pages of a document "
                           "(TOO_MANY_PAGES).")
    max_decompressed_mb: float = Field(default=200, gt=0, description="Most bytes a document "
                                       "may inflate to (CONTENT_TOO_LARGE).")
    max_image_pixels: int = Field(default=50_000_000, ge=1, description="Largest image or "
                                  "page raster, in pixels (IMAGE_TOO_LARGE).")

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @property
    def max_decompressed_bytes(self) -> int:
        return int(self.max_decompressed_mb * MB)


def limits_for(chosen: InputLimits | None, context: Any) -> InputLimits:
    """The step's own `limits:`, else the recipe's settings.limits the engine hands the step
    (``ctx.limits``: a model or a plain mapping), else the defaults."""
    if chosen is not None:
        return chosen
    given = getattr(context, "limits", None)
    return InputLimits.model_validate(given) if given is not None else InputLimits()


def over_limit(path: Path, code: str, what: str, setting: str, **details: Any) -> BusinessError:
    """The coded error for an input above one limit: what, the limit, and the setting to raise."""
    return BusinessError(f"{path.name}: {what}; check it is the right file, or raise "
                         f"settings.limits.{setting} in the recipe", code=code, file=str(path),
                         setting=f"settings.limits.{setting}", **details)


def check_file_size(path: Path, limits: InputLimits) -> int:
    """The file's size from its directory entry, refused above max_file_mb (nothing is read)."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise over_limit(path, "FILE_TOO_LARGE", f"the file is {megabytes(size)}, larger than "
                         f"the {limits.max_file_mb:g} MB an input may be", "max_file_mb",
                         size_bytes=size, max_file_mb=limits.max_file_mb)
    return size


def check_page_count(path: Path, pages: int, limits: InputLimits) -> None:
    """Refuse a document of more than max_pages pages."""
    if pages > limits.max_pages:
        raise over_limit(path, "TOO_MANY_PAGES", f"the document has {pages} pages, more than "
                         f"the {limits.max_pages} a document may have", "max_pages",
                         pages=pages, max_pages=limits.max_pages)


def check_inflated(path: Path, inflated: int, limits: InputLimits) -> None:
    """Refuse a document whose streams inflate past max_decompressed_mb."""
    if inflated > limits.max_decompressed_bytes:
        raise over_limit(path, "CONTENT_TOO_LARGE", "its compressed content inflates to at "
                         f"least {megabytes(inflated)} (the file is {megabytes(path_size(path))}),"
                         f" beyond the {limits.max_decompressed_mb:g} MB a document may hold",
                         "max_decompressed_mb", inflated_bytes_at_least=inflated,
                         max_decompressed_mb=limits.max_decompressed_mb)


def check_image(path: Path, width: int, height: int, limits: InputLimits) -> None:
    """Refuse a document holding an image (or page raster) above max_image_pixels."""
    if width * height > limits.max_image_pixels:
        raise over_limit(path, "IMAGE_TOO_LARGE", f"it holds an image of {width} x {height} = "
                         f"{width * height:,} pixels, more than the "
                         f"{limits.max_image_pixels:,} an image may have", "max_image_pixels",
                         width=width, height=height, max_image_pixels=limits.max_image_pixels)


def megabytes(size: int) -> str:
    """A byte count for a message: '3072.0 MB'."""
    return f"{size / MB:.1f} MB"


def path_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0

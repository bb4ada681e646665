"""Measure what a PDF's streams inflate to, and its images' sizes, before any parser opens it.

pdfminer (under pdfplumber) inflates a whole stream in one call, with no cap: a 1.5 MB file
whose page stream inflates to 1.5 GB took the runner to 3.2 GB. Here every stream of the file
is found in its raw bytes (a stream is always an indirect object: ``N G obj <<dict>> stream``),
its leading Flate filters are inflated in small chunks that are counted and thrown away, and
the count stops as soon as the document's total passes the limit: memory stays at a few MB
whatever the file claims. Image XObjects are checked by the /Width and /Height of their
dictionary, before a byte of them is inflated; an image's data is not counted (text
extraction never decodes it, a renderer decodes it to its pixels), unless it inflates to more
than its raster could hold: a stream dressed as an image is counted like any other.

Filters other than Flate (DCT, JBIG2, ASCII85...) are counted by their raw length: they either
shrink data or are decoded only by a renderer, which has its own caps (bots/review/render.py).
A stream that will not inflate is left to the parser, which reports the damage (CORRUPT_PDF).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bots.pdf.limits import InputLimits, check_image, check_inflated

STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)")
FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
FILTER_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
IMAGE = re.compile(rb"/Subtype\s*/Image\b")
WIDTH = re.compile(rb"/(?:Width|W)\s+(\d+)(?!\s+\d+\s+R)")
HEIGHT = re.compile(rb"/(?:Height|H)\s+(\d+)(?!\s+\d+\s+R)")
FLATE = {b"FlateDecode", b"Fl"}
DICT_REACH = 65536  # a stream's dictionary is short; look back no further for its `obj`
IN_CHUNK = 64 * 1024
OUT_CHUNK = 1024 * 1024
MAX_BYTES_PER_PIXEL = 10  # 16-bit CMYK with an alpha channel; most images take 1 to 4


@dataclass(frozen=True)
class RawStream:
    """One stream of the file: its dictionary's bytes and its raw (still encoded) data."""

    dictionary: bytes
    data: memoryview

    @property
    def flate_layers(self) -> int:
        """How many Flate filters lead the stream's filter chain."""
        found = FILTERS.search(self.dictionary)
        names = FILTER_NAME.findall(found.group(1)) if found else []
        layers = 0
        while layers < len(names) and names[layers] in FLATE:
            layers += 1
        return layers

    @property
    def image_size(self) -> tuple[int, int] | None:
        """(width, height) of an image XObject, from its dictionary."""
        if not IMAGE.search(self.dictionary):
            return None
        width, height = WIDTH.search(self.dictionary), HEIGHT.search(self.dictionary)
        if width is None or height is None:
            return None
        return int(width.group(1)), int(height.group(1))


def check_streams(data: bytes, path: Path, limits: InputLimits) -> int:
    """Raise IMAGE_TOO_LARGE or CONTENT_TOO_LARGE past a limit; else the bytes inflated."""
    budget = limits.max_decompressed_bytes
    total = 0
    for stream in raw_streams(data):
        size = stream.image_size
        if size is not None:
            check_image(path, *size, limits)
            if _honest_image(stream, *size):
                continue  # decoded only by a renderer, and bounded by its pixels
        total += inflated_size(stream, budget - total + 1)
        check_inflated(path, total, limits)
    return total


def _honest_image(stream: RawStream, width: int, height: int) -> bool:
    """Whether an image's data inflates to no more than its raster could hold (so a page's
    text is never hidden from the count behind an image's dictionary)."""
    allowance = width * height * MAX_BYTES_PER_PIXEL + OUT_CHUNK
    return inflated_size(stream, allowance + 1) <= allowance


def raw_streams(data: bytes) -> Iterator[RawStream]:
    """Every `obj << ... >> stream ... endstream` of the file, in file order."""
    view = memoryview(data)
    position = 0
    while (start := STREAM_START.search(data, position)) is not None:
        if not _dict_ends_before(data, start.start()):
            position = start.end()  # "endstream", or the word inside other bytes
            continue
        dictionary = _dictionary_before(data, start.start())
        end = _data_end(data, dictionary, start.end())
        yield RawStream(dictionary, view[start.end():end])
        position = max(end, start.end())


def _dict_ends_before(data: bytes, at: int) -> bool:
    return data[max(0, at - 64):at].rstrip().endswith(b">>")


def _dictionary_before(data: bytes, at: int) -> bytes:
    """The bytes from the stream's `N G obj` to its `stream` keyword."""
    window_start = max(0, at - DICT_REACH)
    found = data.rfind(b"obj", window_start, at)
    return data[found + 3 if found >= 0 else window_start:at]


def _data_end(data: bytes, dictionary: bytes, start: int) -> int:
    """Where the stream's data ends: by a direct /Length that lands on `endstream`, else at
    the next `endstream` keyword."""
    length = LENGTH.search(dictionary)
    if length is not None:
        end = start + int(length.group(1))
        if data[end:end + 32].lstrip().startswith(b"endstream"):
            return end
    found = data.find(b"endstream", start)
    return len(data) if found < 0 else found


def inflated_size(stream: RawStream, budget: int) -> int:
    """The stream's decoded size as far as its Flate filters go, counted up to `budget`."""
    layers = stream.flate_layers
    if layers == 0:
        return len(stream.data)
    total = 0
    for piece in _inflated(_chunks(stream.data), layers):
        total += len(piece)
        if total >= budget:
            break
    return total


def _chunks(data: memoryview) -> Iterator[bytes]:
    for offset in range(0, len(data), IN_CHUNK):
        yield bytes(data[offset:offset + IN_CHUNK])


def _inflated(pieces: Iterator[bytes], layers: int) -> Iterator[bytes]:
    """The pieces inflated through `layers` Flate filters, chunk by bounded chunk."""
    for _ in range(layers):
        pieces = _inflate_one(pieces)
    return pieces


def _inflate_one(pieces: Iterator[bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    try:
        for piece in pieces:
            pending = piece
            while pending and not inflater.eof:
                out = inflater.decompress(pending, OUT_CHUNK)
                if out:
                    yield out
                elif inflater.unconsumed_tail == pending:
                    return
                pending = inflater.unconsumed_tail
            if inflater.eof:
                return
    except zlib.error:  # damaged data: the parser reports it with its own words
        return

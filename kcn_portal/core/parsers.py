"""The API's JSON parser: DRF's, answering every body it cannot take with a 400 in Vietnamese.

DRF's own parser answers a malformed body in English ("JSON parse error - Expecting value: …") and lets
a body nested thousands of levels deep escape as a RecursionError (a 500). This one refuses, each
with a ParseError (400, `{"detail": …}`) in the active language:

- malformed JSON, naming the line and column;
- arrays and objects nested deeper than MAX_DEPTH (no request of the API needs more than a few levels);
- NaN, Infinity and numbers beyond a float's range (1e400 would be read as infinity);
- a body not in the charset its Content-Type names, or a charset that is not a text encoding.

Set as the first of REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]; a view naming its parsers names this one.
What a serializer does with a finite number (its range, its decimals) stays the serializer's business.
"""

from __future__ import annotations

import codecs
import json
import math

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32  # the deepest API body (a scorecard's lines, a registration's targets) nests 3 levels


class _NotFinite(ValueError):
    """A number JSON cannot carry as a float: NaN, Infinity or beyond ±1.8e308."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def _constant(text: str):
    raise _NotFinite(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value


def depth(data) -> int:
    """How deep arrays and objects nest in parsed JSON (a scalar: 0; `[]`, `{}`: 1), without recursion.

    Stops counting past MAX_DEPTH + 1: deeper is refused anyway.
    """
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


def _too_deep() -> ParseError:
    return ParseError(
        _("Dữ liệu JSON lồng quá sâu: tối đa %(limit)s cấp mảng, đối tượng lồng nhau.") % {"limit": MAX_DEPTH}
    )


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser with Vietnamese refusals, a depth limit and no infinite numbers (module docstring)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            "".encode(encoding)  # str.encode refuses the bytes-to-bytes codecs (bz2_codec) codecs.getreader takes
        except (LookupError, UnicodeError) as exc:
            raise ParseError(_("Bảng mã “%(charset)s” của yêu cầu không được hỗ trợ.") % {"charset": encoding}) from exc
        try:
            data = json.load(codecs.getreader(encoding)(stream), parse_constant=_constant, parse_float=_float)
        except RecursionError as exc:
            raise _too_deep() from exc
        except _NotFinite as exc:
            raise ParseError(
                _("Số “%(number)s” trong dữ liệu JSON không được nhận: NaN, Infinity và số vượt quá giới hạn.")
                % {"number": exc.text[:40]}
            ) from exc
        except json.JSONDecodeError as exc:
            where = {"line": exc.lineno, "column": exc.colno}
            raise ParseError(_("Dữ liệu JSON không hợp lệ ở dòng %(line)s, cột %(column)s.") % where) from exc
        except UnicodeDecodeError as exc:
            raise ParseError(
                _("Dữ liệu JSON không đọc được theo bảng mã %(charset)s.") % {"charset": encoding}
            ) from exc
        except ValueError as exc:  # an integer of more digits than Python converts (4300)
            raise ParseError(_("Dữ liệu JSON có số quá dài.")) from exc
        if depth(data) > MAX_DEPTH:
            raise _too_deep()
        return data

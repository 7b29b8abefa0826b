"""The PDFium functions the PDF reader calls per path segment or per character, with plain-pointer
signatures.

pypdfium2's bindings type every handle as a pointer to an opaque struct, so each call that returns one
builds a ctypes pointer object, and each argument is checked against its struct type. A table-heavy page
makes tens of thousands of these calls. The same C functions, called through prototypes that take and
return handles as plain addresses (``c_void_p``), skip that work; PDFium sees the same arguments.
"""

from __future__ import annotations

import ctypes
from ctypes import c_double, c_float, c_int, c_void_p
from typing import Any

import pypdfium2.raw as pdfium_c


def _plain(function: Any, restype: Any, *argtypes: Any) -> Any:
    address = ctypes.cast(function, c_void_p).value
    assert address is not None, "pypdfium2 binds every PDFium function it exports"
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_FLOAT_AT = ctypes.POINTER(c_float)
_DOUBLE_AT = ctypes.POINTER(c_double)

page_object_count = _plain(pdfium_c.FPDFPage_CountObjects, c_int, c_void_p)
page_object = _plain(pdfium_c.FPDFPage_GetObject, c_void_p, c_void_p, c_int)
form_object_count = _plain(pdfium_c.FPDFFormObj_CountObjects, c_int, c_void_p)
form_object = _plain(pdfium_c.FPDFFormObj_GetObject, c_void_p, c_void_p, ctypes.c_ulong)
object_type = _plain(pdfium_c.FPDFPageObj_GetType, c_int, c_void_p)
object_matrix = _plain(pdfium_c.FPDFPageObj_GetMatrix, c_int, c_void_p, ctypes.POINTER(pdfium_c.FS_MATRIX))
object_bounds = _plain(
    pdfium_c.FPDFPageObj_GetBounds, c_int, c_void_p, _FLOAT_AT, _FLOAT_AT, _FLOAT_AT, _FLOAT_AT
)
path_segment_count = _plain(pdfium_c.FPDFPath_CountSegments, c_int, c_void_p)
path_segment = _plain(pdfium_c.FPDFPath_GetPathSegment, c_void_p, c_void_p, c_int)
segment_point = _plain(pdfium_c.FPDFPathSegment_GetPoint, c_int, c_void_p, _FLOAT_AT, _FLOAT_AT)
segment_type = _plain(pdfium_c.FPDFPathSegment_GetType, c_int, c_void_p)
segment_closes = _plain(pdfium_c.FPDFPathSegment_GetClose, c_int, c_void_p)

char_box = _plain(
    pdfium_c.FPDFText_GetCharBox, c_int, c_void_p, c_int, _DOUBLE_AT, _DOUBLE_AT, _DOUBLE_AT, _DOUBLE_AT
)
char_origin = _plain(pdfium_c.FPDFText_GetCharOrigin, c_int, c_void_p, c_int, _DOUBLE_AT, _DOUBLE_AT)
char_is_generated = _plain(pdfium_c.FPDFText_IsGenerated, c_int, c_void_p, c_int)
char_font_size = _plain(pdfium_c.FPDFText_GetFontSize, c_double, c_void_p, c_int)
char_font_info = _plain(
    pdfium_c.FPDFText_GetFontInfo,
    ctypes.c_ulong,
    c_void_p,
    c_int,
    c_void_p,
    ctypes.c_ulong,
    ctypes.POINTER(c_int),
)
char_matrix = _plain(pdfium_c.FPDFText_GetMatrix, c_int, c_void_p, c_int, ctypes.POINTER(pdfium_c.FS_MATRIX))
char_font_weight = _plain(pdfium_c.FPDFText_GetFontWeight, c_int, c_void_p, c_int)
bounded_text = _plain(
    pdfium_c.FPDFText_GetBoundedText,
    c_int,
    c_void_p,
    c_double,
    c_double,
    c_double,
    c_double,
    ctypes.POINTER(ctypes.c_ushort),
    c_int,
)

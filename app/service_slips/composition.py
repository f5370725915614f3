"""Two things done to the slip's PDF after WeasyPrint has drawn it, before it is written (its `finisher` hook).

**One slip under three labels.** The copies of a slip differ only in the label at the top right and the
footer line. The HTML is rendered composed: page 1 is the slip without a label, each later page only one
copy's label and footer. Each label page then gets the slip's own content stream in front of its own
(`Contents` is an array; the slip's wrapped in q/Q so its coordinate flip does not carry over), and page 1
leaves the page tree. The slip is laid out and drawn once instead of three times, and stored once: the
three pages share one stream. Every page looks exactly as when laid out alone (tests/service_slips/
test_pdf_composition.py compares the pixels, as poppler, MuPDF and Ghostscript draw them).

**The Chinese face without 65,000 empty glyphs.** WeasyPrint subsets fonts keeping every glyph id, so
that the ids it wrote in the content streams stay valid; for Noto Sans CJK that leaves ~65,000 empty
glyph slots (180 KB compressed) around a few hundred used ones. A CID-keyed CFF face needs no such
thing: a PDF reader finds a glyph by its CID through the font's charset, and HarfBuzz's subsetter keeps
each glyph's CID when it renumbers. So the face is subset again (the used glyphs only, hints dropped:
paper has no pixel grid) and embedded as a bare CFF (`/CIDFontType0C`, the form PDF 1.3 defined for it);
the content streams, widths and ToUnicode map, all keyed by CID, are untouched. TrueType faces (the
DejaVu figures) are left as WeasyPrint made them: a few KB.

Both lean on WeasyPrint's public `finisher` and on its Font objects' `hb_face`/`to_unicode`/`file_content`;
an upgrade that changes those shows in the tests and the benchmark, not on paper.
"""
import io

import pydyf
from fontTools.ttLib import TTFont
from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
from weasyprint.text.fonts import get_hb_object_data

DROPPED_TABLES = (b"BASE", b"GDEF", b"GPOS", b"GSUB", b"JSTF", b"VORG", b"vhea", b"vmtx", b"DSIG")


class Overflow(Exception):
    """The slip did not fit on one page: it cannot be drawn under each label; lay it out page by page."""


def finish(document, pdf, labels):
    """labels: how many copy pages follow the slip (0: not composed)."""
    if labels and len(document.pages) != 1 + labels:
        raise Overflow(f"{len(document.pages)} pages for a slip and {labels} labels")
    compact_cid_fonts(document, pdf)
    if labels:
        share_the_slip(pdf)


def share_the_slip(pdf):
    """Page 1 (the slip) drawn under every later page (a copy's label), then taken out of the page tree."""
    pages = [obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"]
    slip, labels = pages[0], pages[1:]
    save, restore = pydyf.Stream([b"q"]), pydyf.Stream([b"Q"])
    pdf.add_object(save)
    pdf.add_object(restore)
    for page in labels:
        page["Contents"] = pydyf.Array([save.reference, slip["Contents"], restore.reference, page["Contents"]])
    kids = pydyf.Array()
    for page in labels:
        kids.extend([page.number, 0, "R"])
    pdf.pages["Kids"] = kids
    pdf.pages["Count"] = len(labels)


def compact_cid_fonts(document, pdf):
    streams = {id(obj.stream[0]): obj for obj in pdf.objects
               if isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/OpenType" and obj.stream}
    for font in document.fonts.values():
        stream = streams.get(id(font.file_content))
        if stream is None or not font.to_unicode:
            continue
        cff = cid_keyed_cff(font.hb_face, {0, *font.to_unicode})
        if cff is not None:
            stream.stream = [cff]
            stream.extra["Subtype"] = "/CIDFontType0C"


def cid_keyed_cff(hb_face, glyph_ids):
    """The face's CFF table holding only these glyphs, each under its original CID; None when the face is not
    a CID-keyed CFF (then the ids would not survive the renumbering) or HarfBuzz cannot subset it."""
    wanted = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    glyphs = harfbuzz_subset.hb_subset_input_glyph_set(wanted)
    ids = ffi.new(f"hb_codepoint_t[{len(glyph_ids)}]", sorted(glyph_ids))
    harfbuzz.hb_set_add_sorted_array(glyphs, ids, len(glyph_ids))
    harfbuzz_subset.hb_subset_input_set_flags(
        wanted, harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE)
    # Without the layout tables, nothing is pulled in by substitution (vertical forms, alternates): the text
    # is already shaped, the PDF names each glyph drawn.
    dropped = harfbuzz_subset.hb_subset_input_set(wanted, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    tags = sorted(harfbuzz.hb_tag_from_string(tag, -1) for tag in DROPPED_TABLES)
    harfbuzz.hb_set_add_sorted_array(dropped, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags), len(tags))
    subset = ffi.gc(harfbuzz_subset.hb_subset_or_fail(hb_face, wanted), harfbuzz.hb_face_destroy)
    if subset == ffi.NULL:
        return None
    font = TTFont(io.BytesIO(get_hb_object_data(subset)))
    if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
        return None
    # The content streams name glyphs by their id in the full face: only where each CID is that id (Noto's
    # Adobe-Identity ordering) does the reader's CID lookup find the same glyph.
    if not {f"cid{gid:05d}" for gid in glyph_ids if gid} <= set(font.getGlyphOrder()):
        return None
    return font.reader["CFF "]

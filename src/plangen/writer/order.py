"""Children of WordprocessingML property elements in schema order, by construction.

The schemas (ECMA-376 / ISO 29500) declare ``w:pPr``, ``w:rPr``, ``w:sectPr``, ``w:tblPr``, ``w:tcPr``,
``w:settings``… as sequences: a child out of order makes the file invalid, and Word "repairs" it, drops
the property (w:color after w:sz) or opens it read-only, while LibreOffice forgives it. The writer
builds XML as strings from fragments that different places contribute (a style's spacing, a
paragraph's indent, a keep-with-next the layout adds), so rather than trusting each call site to
concatenate in the right order, :func:`children` sorts the fragments into the sequence here. The
sequences are the schema's own (tests/test_ooxml.py checks them against the vendored wml.xsd).
"""

from __future__ import annotations

import re
from functools import cache

_PPR_BASE = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle"
)
# one entry per position; names joined by "|" share a position (an xsd:choice inside the sequence)
SEQUENCES: dict[str, tuple[str, ...]] = {
    "pPr": tuple(f"{_PPR_BASE} rPr sectPr pPrChange".split()),
    "rPr": tuple(
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
        "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
        "em lang eastAsianLayout specVanish oMath rPrChange".split()
    ),
    "sectPr": tuple(
        "headerReference|footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType pgNumType "
        "cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings sectPrChange".split()
    ),
    "tblPr": tuple(
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing tblInd "
        "tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange".split()
    ),
    "tblBorders": tuple("top start left bottom end right insideH insideV".split()),
    "tcPr": tuple(
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark "
        "headers cellIns cellDel cellMerge tcPrChange".split()
    ),
    # CT_TrPrBase is an unbounded choice: any order validates; this is the order Word writes
    "trPr": tuple("cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden".split()),
    "style": tuple(
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat locked "
        "personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr".split()
    ),
    "settings": tuple(
        "writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries "
        "displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData "
        "embedTrueTypeFonts embedSystemFonts saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
        "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors "
        "activeWritingStyle proofState formsDesign attachedTemplate linkStyles stylePaneFormatFilter "
        "stylePaneSortMethod documentType mailMerge revisionView trackRevisions doNotTrackMoves doNotTrackFormatting "
        "documentProtection autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
        "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength clickAndTypeStyle "
        "defaultTableStyle evenAndOddHeaders bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets "
        "drawingGridHorizontalSpacing drawingGridVerticalSpacing displayHorizontalDrawingGridEvery "
        "displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin "
        "drawingGridVerticalOrigin doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne "
        "strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema "
        "saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml saveXmlDataOnly "
        "useXSLTWhenSaving saveThroughXslt showXMLTags alwaysMergeEmptyNamespace updateFields hdrShapeDefaults "
        "footnotePr endnotePr compat docVars rsids attachedSchema themeFontLang clrSchemeMapping "
        "doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType "
        "shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator".split()
    ),
}


@cache
def _rank(parent: str) -> dict[str, int]:
    return {name: i for i, names in enumerate(SEQUENCES[parent]) for name in names.split("|")}


_TAG = re.compile(r"<(/?)w:([A-Za-z]+)[^>]*?(/?)>")


def split(xml: str) -> list[tuple[str, str]]:
    """(local name, XML) of each top-level element in a run of sibling elements."""
    out: list[tuple[str, str]] = []
    depth, start, name, end = 0, 0, "", 0
    for m in _TAG.finditer(xml):
        closing, tag, empty = m.group(1), m.group(2), m.group(3)
        if depth == 0:
            if closing or xml[end : m.start()].strip():
                raise ValueError(f"not a run of sibling elements: {xml[:80]!r}")
            start, name = m.start(), tag
        depth += -1 if closing else (0 if empty else 1)
        if depth == 0:
            out.append((name, xml[start : m.end()]))
            end = m.end()
    if depth or xml[end:].strip():
        raise ValueError(f"not a run of sibling elements: {xml[:80]!r}")
    return out


_REPEATABLE = frozenset({"headerReference", "footerReference"})  # one per page kind (default, even, first)


def children(parent: str, *fragments: str) -> str:
    """``fragments`` (each any run of child elements) joined in the schema's order for ``w:parent``.

    An element the sequence does not know, or one given twice, is an error: it catches a misspelt
    name or two call sites setting the same property before Word does.
    """
    rank = _rank(parent)
    items: list[tuple[int, str]] = []
    seen: set[str] = set()
    for fragment in fragments:
        for name, xml in split(fragment):
            if name not in rank:
                raise ValueError(f"w:{name} is not a child of w:{parent} in the schema")
            if name in seen and name not in _REPEATABLE:
                raise ValueError(f"w:{name} given twice in w:{parent}")
            seen.add(name)
            items.append((rank[name], xml))
    items.sort(key=lambda item: item[0])  # stable: repeatable elements keep their given order
    return "".join(xml for _, xml in items)


def element(parent: str, *fragments: str, attrs: str = "") -> str:
    """``<w:parent>`` around :func:`children`; empty string when there are none (and no attributes)."""
    inner = children(parent, *fragments)
    if not inner and not attrs:
        return ""
    return f"<w:{parent}{attrs}>{inner}</w:{parent}>"

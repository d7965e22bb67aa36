"""The GB/T 9704-2012 Word writer: document model in, .docx bytes out."""

from plangen.gbt9704.fonts import FontProfile, font_profile
from plangen.writer.docx import write_docx

__all__ = ["FontProfile", "font_profile", "write_docx"]

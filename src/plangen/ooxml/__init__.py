"""Reading any .docx into paragraphs with the properties Word would apply: used by ``plangen check``
and by the page estimate of the GB/T 9704 layer."""

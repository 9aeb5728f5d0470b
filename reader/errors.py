"""The core's exceptions: a small tree, so callers catch exactly what they can handle.

    ReaderError                 anything the core raises on purpose
    └── ParseError              a file could not be read as a paper (its message says why, in a few words)
        ├── UnsupportedFormat   the bytes are none of the formats we read (binary junk, an image, ...)
        ├── EncryptedFile       a PDF that needs a password
        └── ParserAborted       the parser was stopped: it ran past its time limit, or crashed
"""


class ReaderError(Exception):
    """Base of every error the core raises on purpose."""


class ParseError(ReaderError):
    """A file could not be parsed into a Paper. ``str(error)`` is a short, user-facing reason."""


class UnsupportedFormat(ParseError):
    """The content is not a PDF, a text file or an XML record."""


class EncryptedFile(ParseError):
    """The PDF is encrypted and cannot be opened without a password."""


class ParserAborted(ParseError):
    """The worker process parsing a file was stopped (past its time limit) or died (a crash)."""

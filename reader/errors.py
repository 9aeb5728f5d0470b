"""The core's exceptions: a small tree, so callers catch exactly what they can handle.

    ReaderError                 anything the core raises on purpose
    ├── ParseError              a file could not be read as a paper (its message says why, in a few words)
    │   ├── UnsupportedFormat   the bytes are none of the formats we read (binary junk, an image, ...)
    │   ├── EncryptedFile       a PDF that needs a password
    │   └── ParserAborted       the parser was stopped: it ran past its time limit, or crashed
    ├── LibraryError            the library folder cannot be used as asked (read-only, unknown paper id)
    │   └── LibraryBusy         another process is writing to the library and did not finish in time
    └── QueryError              a search query could not be understood
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


class LibraryError(ReaderError):
    """The library folder cannot be used as asked (read-only, not a library, a paper id that is not there)."""


class LibraryBusy(LibraryError):
    """Another process holds the library's writer lock longer than the caller was willing to wait."""


class QueryError(ReaderError):
    """A search query could not be understood (an unknown field, an unclosed quote or range)."""

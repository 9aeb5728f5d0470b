"""litreader: a desktop literature reader."""

__version__ = "0.1.0"

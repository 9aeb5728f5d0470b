"""The pictures of a paper's figures: cut from the PDF page (pymupdf's clip rendering) or, for JATS, the image
file the record names when it sits beside the record. Run off the GUI thread (QImage, not QPixmap)."""
from __future__ import annotations

from pathlib import Path

import pymupdf
from PySide6.QtGui import QImage

from reader.model import Block, Paper

SCALE = 2.0  # pixels per PDF point: sharp on a high-density screen, shown at half size on others
MAX_FIGURES = 60  # a paper with more is a catalogue; the rest show their captions
IMAGE_SUFFIXES = ("", ".jpg", ".png", ".gif", ".tif", ".tiff", ".jpeg")


def shown_as_picture(paper: Paper, block: Block) -> bool:
    """Figures always; a table only when its cells were not recovered (no tab in its text) but its region was."""
    if block.kind == "figure":
        return True
    return block.kind == "table" and block.bbox is not None and "\t" not in paper.text[block.start:block.end]


def has_pictures(paper: Paper) -> bool:
    """Whether any block of the paper is shown as a picture (most papers of plain text have none)."""
    return any(shown_as_picture(paper, b) for b in paper.blocks if b.kind in ("figure", "table"))


def figure_images(paper: Paper, source: Path | None) -> dict[int, QImage]:
    """Each figure's picture by its block's start (figures without one are left out: their caption shows)."""
    blocks = [b for b in paper.blocks if shown_as_picture(paper, b)][:MAX_FIGURES]
    if not blocks or source is None:
        return {}
    if paper.format == "pdf":
        return _from_pdf(source, [b for b in blocks if b.page and b.bbox])
    return _from_files(Path(paper.source_path).parent, [b for b in blocks if b.src])


def _from_pdf(source: Path, blocks: list[Block]) -> dict[int, QImage]:
    images: dict[int, QImage] = {}
    if not blocks:
        return images
    with pymupdf.open(source) as doc:
        for b in blocks:
            if not 1 <= b.page <= doc.page_count:  # type: ignore[operator]
                continue
            page = doc[b.page - 1]  # type: ignore[operator]
            clip = pymupdf.Rect(b.bbox) & page.rect
            if clip.is_empty or clip.width < 4 or clip.height < 4:
                continue
            pix = page.get_pixmap(matrix=pymupdf.Matrix(SCALE, SCALE), clip=clip, alpha=False)
            image = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888).copy()
            image.setDevicePixelRatio(SCALE)
            images[b.start] = image
    release_pdf_caches()
    return images


def release_pdf_caches() -> None:
    """Empty MuPDF's cache of decoded fonts and images. It is kept per process, up to 256 MB, and a paper's
    entries are of no use once its pictures are cut; left alone it held 300-400 MB after a few dozen papers."""
    pymupdf.TOOLS.store_shrink(100)


def _from_files(folder: Path, blocks: list[Block]) -> dict[int, QImage]:
    """JATS images beside the record, by the name it gives (often without its extension); never outside it."""
    images: dict[int, QImage] = {}
    if not folder.is_dir():
        return images
    root = folder.resolve()
    for b in blocks:
        name = Path(b.src)
        if name.is_absolute() or ".." in name.parts or ":" in b.src:
            continue  # a URL or a path out of the folder: not ours to read
        for suffix in IMAGE_SUFFIXES:
            path = (root / (b.src + suffix)).resolve()
            if path.parent != root and root not in path.parents:
                break
            if path.is_file():
                image = QImage(str(path))
                if not image.isNull():
                    images[b.start] = image
                break
    return images

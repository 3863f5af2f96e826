"""CPU time and bytes of one image's rendition set (every shape and width of
media.renditions.SHAPES) for a typical 12 MP photo, per format: WebP, AVIF
and JPEG, each at the quality the site would use.

    .venv/bin/python bench/renditions.py [--photo PATH] [--runs 3]

Without --photo: a 1111x914 public-domain painting that Debian's WordPress
package ships, scaled to 4000x3000 with a little sensor-like noise (a flat
synthetic picture would flatter every encoder); any JPEG of your own works too.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")

PAINTING = Path(
    "/usr/share/wordpress/wp-content/themes/twentytwentyone/assets/images/"
    "in-the-bois-de-boulogne.jpg"
)
FORMATS = {
    "WebP q80": ("WEBP", {"quality": 80}),
    "AVIF q60 (speed 6, default)": ("AVIF", {"quality": 60}),
    "AVIF q60 speed 8": ("AVIF", {"quality": 60, "speed": 8}),
    "JPEG q82 progressive": (
        "JPEG",
        {"quality": 82, "optimize": True, "progressive": True},
    ),  # fmt: skip
}


def photo(path: Path | None):
    from PIL import Image, ImageChops

    if path is not None:
        return Image.open(path).convert("RGB")
    source = Image.open(PAINTING).convert("RGB").resize((4000, 3000), Image.LANCZOS)
    noise = Image.effect_noise((4000, 3000), 6).convert("RGB")
    return ImageChops.add(source, noise, scale=1.0, offset=-128)


def crops(picture) -> list:
    """The resized crops a rendition set encodes (made once, outside the timing)."""
    from PIL import Image

    from media.renditions import SHAPES, crop_box, widths_for

    made = []
    for ratio, wanted in SHAPES.values():
        box = crop_box(picture.width, picture.height, ratio, (0.5, 0.5))
        crop = picture.crop(box)
        for width in widths_for(crop.width, wanted):
            height = round(crop.height * width / crop.width)
            made.append(crop.resize((width, height), Image.LANCZOS))
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photo", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    import PIL

    picture = photo(args.photo)
    started = time.process_time()
    sizes = crops(picture)
    resize = time.process_time() - started
    print(f"Pillow {PIL.__version__}, {picture.width}x{picture.height}, "
          f"{len(sizes)} renditions; resizing (shared by every format): "
          f"{resize:.2f} s CPU")  # fmt: skip
    print("| format | CPU s per set (median) | KiB per set | 1280×960 file, KiB |")
    print("| --- | ---: | ---: | ---: |")
    for label, (fmt, options) in FORMATS.items():
        times, total, at_1280 = [], 0, 0
        for _ in range(args.runs):
            total, at_1280 = 0, 0
            started = time.process_time()
            for small in sizes:
                out = io.BytesIO()
                small.save(out, fmt, **options)
                total += out.tell()
                if small.width == 1280 and small.height != small.width:
                    at_1280 = max(at_1280, out.tell())
            times.append(time.process_time() - started)
        median = sorted(times)[len(times) // 2]
        print(f"| {label} | {median:.2f} | {total / 1024:,.0f} | "
              f"{at_1280 / 1024:,.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()

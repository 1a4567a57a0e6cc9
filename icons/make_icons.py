"""Draws the Timebridge app icon and writes every size Tauri bundles.

A clock face over a bridge arch: time crossing between systems. Run with
Pillow installed (`pip install pillow`): `python3 icons/make_icons.py`.
"""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent
SIZE = 1024
TEAL = (15, 118, 110, 255)
TEAL_DARK = (17, 94, 89, 255)
WHITE = (255, 255, 255, 255)
AMBER = (251, 191, 36, 255)


def draw(size: int = SIZE) -> Image.Image:
    scale = 4  # draw large, then downsample for smooth edges
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = s * 0.06
    d.rounded_rectangle((pad, pad, s - pad, s - pad), radius=s * 0.2, fill=TEAL)
    # lower band, darker: the water under the bridge
    d.rounded_rectangle((pad, s * 0.66, s - pad, s - pad), radius=s * 0.2, fill=TEAL_DARK)
    d.rectangle((pad, s * 0.66, s - pad, s * 0.75), fill=TEAL_DARK)
    # bridge arch and deck
    w = s * 0.05
    d.arc((s * 0.14, s * 0.52, s * 0.86, s * 1.12), start=180, end=360, fill=WHITE, width=int(w))
    d.rectangle((s * 0.12, s * 0.645, s * 0.88, s * 0.645 + w), fill=WHITE)
    # clock face above the arch
    cx, cy, r = s * 0.5, s * 0.36, s * 0.2
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    hand = s * 0.028
    d.line((cx, cy, cx, cy - r * 0.7), fill=TEAL, width=int(hand))
    d.line((cx, cy, cx + r * 0.55, cy + r * 0.15), fill=TEAL, width=int(hand))
    d.ellipse((cx - hand, cy - hand, cx + hand, cy + hand), fill=AMBER)
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    big = draw()
    big.save(HERE / "icon.png")
    for name, px in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256)]:
        big.resize((px, px), Image.LANCZOS).save(HERE / name)
    big.save(HERE / "icon.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    big.save(HERE / "icon.icns")
    # The sign-in screen and sidebar show it too.
    big.resize((128, 128), Image.LANCZOS).save(HERE.parent / "ui" / "public" / "logo.png")


if __name__ == "__main__":
    main()

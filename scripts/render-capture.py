#!/usr/bin/env python3
"""Renders a tmux pane capture into an exact PNG screenshot (a cell grid, like the terminal).

Usage:
  tmux capture-pane -p -e -t shot > shot.ans
  python3 scripts/render-capture.py shot.ans --width 100 --height 30 -o shot.png [--title TEXT]
  tmux capture-pane -p -e -t shot | python3 scripts/render-capture.py --width 100 --height 30 -o shot.png
  python3 scripts/render-capture.py --self-test

--width/--height are the pane's size (`tmux display -p -t shot '#{pane_width} #{pane_height}'`).
Options: --font-size PX (16), --scale N (2 for a HiDPI image), --padding PX (12), --title TEXT.
Needs Pillow and the fonts: run scripts/setup-screenshots.sh once. It makes .venv-screenshots/,
which this script re-runs itself under when the python3 that started it has no Pillow.

Reads SGR (bold, dim, italic, underline, reverse, hidden, strike, 16/256/true colours), tmux's
SO/SI line-drawing charset, and wide characters (East Asian Wide/Fullwidth take two cells).
Box-drawing and block characters are drawn as geometry so that they join without gaps.
"""
import argparse
import functools
import os
import struct
import sys
import unicodedata
from pathlib import Path

VENV = Path(__file__).resolve().parent.parent / ".venv-screenshots"
try:
    from PIL import Image, ImageDraw, ImageFont
except ImportError:
    venv_python = VENV / "bin" / "python"
    if venv_python.exists() and os.environ.get("RENDER_CAPTURE_REEXEC") != "1":
        os.environ["RENDER_CAPTURE_REEXEC"] = "1"
        os.execv(str(venv_python), [str(venv_python), __file__, *sys.argv[1:]])
    sys.exit("render-capture: Pillow is missing; run scripts/setup-screenshots.sh first")

DEJAVU = "/usr/share/fonts/truetype/dejavu/"
MONO_FONTS = {  # (bold, italic) -> file
    (False, False): DEJAVU + "DejaVuSansMono.ttf",
    (True, False): DEJAVU + "DejaVuSansMono-Bold.ttf",
    (False, True): DEJAVU + "DejaVuSansMono-Oblique.ttf",
    (True, True): DEJAVU + "DejaVuSansMono-BoldOblique.ttf",
}
SANS_FONT = DEJAVU + "DejaVuSans.ttf"            # symbols DejaVu Sans Mono lacks
SANS_BOLD_FONT = DEJAVU + "DejaVuSans-Bold.ttf"
CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"   # last resort: CJK and the rest

# A dark theme (One Dark-like): default colours and the 16 ANSI colours.
DEFAULT_FG = (0xD7, 0xDA, 0xE0)
DEFAULT_BG = (0x1E, 0x21, 0x27)
TITLE_BG = (0x2B, 0x2F, 0x37)
TITLE_FG = (0x9D, 0xA5, 0xB4)
ANSI16 = [
    (0x3F, 0x44, 0x51), (0xE0, 0x6C, 0x75), (0x98, 0xC3, 0x79), (0xE5, 0xC0, 0x7B),
    (0x61, 0xAF, 0xEF), (0xC6, 0x78, 0xDD), (0x56, 0xB6, 0xC2), (0xD7, 0xDA, 0xE0),
    (0x6B, 0x72, 0x80), (0xFF, 0x7A, 0x85), (0xB5, 0xE8, 0x90), (0xFF, 0xD6, 0x8A),
    (0x7C, 0xC4, 0xFF), (0xDE, 0x95, 0xF5), (0x6F, 0xD3, 0xDF), (0xFF, 0xFF, 0xFF),
]
DEC_GRAPHICS = dict(zip("`afgjklmnopqrstuvwxyz{|}~0", "◆▒°±┘┐┌└┼⎺⎻─⎼⎽├┤┴┬│≤≥π≠£·█"))


def xterm256(n):
    """The RGB of xterm colour n (0-255)."""
    if n < 16:
        return ANSI16[n]
    if n < 232:
        n -= 16
        levels = (0, 95, 135, 175, 215, 255)
        return (levels[n // 36], levels[(n // 6) % 6], levels[n % 6])
    v = 8 + 10 * (n - 232)
    return (v, v, v)


def blend(a, b, t):
    """a moved fraction t of the way to b."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


# ---------------------------------------------------------------- parsing

class Style:
    __slots__ = ("fg", "bg", "bold", "dim", "italic", "underline", "reverse", "hidden", "strike",
                 "overline")

    def __init__(self):
        self.fg = self.bg = None          # None = default, int = xterm index, tuple = RGB
        self.bold = self.dim = self.italic = self.reverse = False
        self.hidden = self.strike = self.overline = False
        self.underline = 0                # 0 none, 1 single, 2 double, 3+ curly/dotted/dashed

    def copy(self):
        s = Style()
        for k in Style.__slots__:
            setattr(s, k, getattr(self, k))
        return s


def _extended_colour(parts, i):
    """Parses 38/48/58's colour from params[i:] (`;` form); returns (colour, next index)."""
    if i + 1 < len(parts) and parts[i + 1][:1] == ["5"] and i + 2 < len(parts):
        return int(parts[i + 2][0] or 0) % 256, i + 3
    if i + 1 < len(parts) and parts[i + 1][:1] == ["2"] and i + 4 < len(parts):
        return tuple(min(255, int(parts[j][0] or 0)) for j in (i + 2, i + 3, i + 4)), i + 5
    return None, len(parts)


def _colon_colour(sub):
    """Parses a `38:5:N` / `38:2::R:G:B` / `38:2:R:G:B` colour."""
    if len(sub) >= 3 and sub[1] == "5":
        return int(sub[2] or 0) % 256
    if len(sub) >= 5 and sub[1] == "2":
        rgb = sub[-3:]
        return tuple(min(255, int(v or 0)) for v in rgb)
    return None


def apply_sgr(style, params):
    """Applies one SGR sequence's parameters (the text between `ESC [` and `m`)."""
    parts = [p.split(":") for p in params.split(";")] if params else [[""]]
    i = 0
    while i < len(parts):
        sub = parts[i]
        try:
            code = int(sub[0] or 0)
        except ValueError:
            i += 1
            continue
        i += 1
        if code == 0:
            style.__init__()
        elif code == 1:
            style.bold = True
        elif code == 2:
            style.dim = True
        elif code == 3:
            style.italic = True
        elif code == 4:
            style.underline = int(sub[1] or 1) if len(sub) > 1 else 1
        elif code == 7:
            style.reverse = True
        elif code == 8:
            style.hidden = True
        elif code == 9:
            style.strike = True
        elif code == 21:
            style.underline = 2
        elif code == 22:
            style.bold = style.dim = False
        elif code == 23:
            style.italic = False
        elif code == 24:
            style.underline = 0
        elif code == 27:
            style.reverse = False
        elif code == 28:
            style.hidden = False
        elif code == 29:
            style.strike = False
        elif 30 <= code <= 37:
            style.fg = code - 30
        elif 40 <= code <= 47:
            style.bg = code - 40
        elif 90 <= code <= 97:
            style.fg = code - 90 + 8
        elif 100 <= code <= 107:
            style.bg = code - 100 + 8
        elif code == 39:
            style.fg = None
        elif code == 49:
            style.bg = None
        elif code == 53:
            style.overline = True
        elif code == 55:
            style.overline = False
        elif code in (38, 48, 58):
            if len(sub) > 1:
                colour = _colon_colour(sub)
            else:
                colour, i = _extended_colour(parts, i - 1)
            if code == 38:
                style.fg = colour
            elif code == 48:
                style.bg = colour
        # 5/6 blink, 25, 59 and unknown codes: ignored


def cell_width(ch):
    """Cells the terminal gives ch: 0 (combining), 1, or 2 (East Asian Wide/Fullwidth)."""
    o = ord(ch)
    if o == 0xAD:
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if 0x1160 <= o <= 0x11FF:   # Hangul medial vowels and final consonants
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def parse_capture(text, cols, rows):
    """Lays the capture out on a rows x cols grid of (text, Style, width) cells.

    A wide character's second cell holds None. The SGR state carries over from line to line,
    as tmux writes it (it emits changes only); cells the capture leaves out are default blanks.
    """
    blank = Style()
    grid = [[(" ", blank, 1) for _ in range(cols)] for _ in range(rows)]
    style = Style()
    row = col = 0
    graphics = False          # DEC special graphics (SO, or ESC ( 0)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        i += 1
        if ch == "\x1b" and i < n:
            kind = text[i]
            i += 1
            if kind == "[":
                j = i
                while j < n and not ("\x40" <= text[j] <= "\x7e"):
                    j += 1
                if j < n and text[j] == "m":
                    apply_sgr(style, text[i:j])
                i = j + 1
            elif kind == "]":     # OSC (e.g. hyperlinks): skip to BEL or ST
                while i < n and text[i] != "\x07" and text[i:i + 2] != "\x1b\\":
                    i += 1
                i += 1 if i < n and text[i] == "\x07" else 2
            elif kind == "(" and i < n:
                graphics = text[i] == "0"
                i += 1
            continue
        if ch == "\n":
            row, col = row + 1, 0
            continue
        if ch == "\r":
            col = 0
            continue
        if ch == "\t":
            col = min(cols, (col // 8 + 1) * 8)
            continue
        if ch == "\x0e":
            graphics = True
            continue
        if ch == "\x0f":
            graphics = False
            continue
        if ch < " " or ch == "\x7f":
            continue
        if graphics:
            ch = DEC_GRAPHICS.get(ch, ch)
        width = cell_width(ch)
        if row >= rows:
            continue
        if width == 0:
            # Joins the previous cell (combining marks, variation selectors, ZWJ).
            c = col - 1
            while c >= 0 and grid[row][c] is None:
                c -= 1
            if c >= 0:
                t, s, w = grid[row][c]
                grid[row][c] = (t + ch, s, w)
            continue
        if col + width > cols:
            continue
        grid[row][col] = (ch, style.copy(), width)
        if width == 2:
            grid[row][col + 1] = None
        col += width
    return grid


# ---------------------------------------------------------------- fonts

@functools.lru_cache(maxsize=None)
def font_codepoints(path):
    """The code points a TrueType font (or a .ttc's first font) maps to a glyph, from its cmap."""
    data = Path(path).read_bytes()
    base = struct.unpack(">I", data[12:16])[0] if data[:4] == b"ttcf" else 0
    num_tables = struct.unpack(">H", data[base + 4:base + 6])[0]
    cmap = None
    for k in range(num_tables):
        rec = base + 12 + 16 * k
        if data[rec:rec + 4] == b"cmap":
            cmap = struct.unpack(">I", data[rec + 8:rec + 12])[0]
    if cmap is None:
        return frozenset()
    subtables = {}
    for k in range(struct.unpack(">H", data[cmap + 2:cmap + 4])[0]):
        pid, eid, off = struct.unpack(">HHI", data[cmap + 4 + 8 * k:cmap + 12 + 8 * k])
        fmt = struct.unpack(">H", data[cmap + off:cmap + off + 2])[0]
        subtables.setdefault(fmt, cmap + off)
    points = set()
    if 12 in subtables:
        t = subtables[12]
        for g in range(struct.unpack(">I", data[t + 12:t + 16])[0]):
            start, end, _ = struct.unpack(">III", data[t + 16 + 12 * g:t + 28 + 12 * g])
            points.update(range(start, end + 1))
    elif 4 in subtables:
        t = subtables[4]
        segs = struct.unpack(">H", data[t + 6:t + 8])[0] // 2
        ends = struct.unpack(f">{segs}H", data[t + 14:t + 14 + 2 * segs])
        at = t + 16 + 2 * segs
        starts = struct.unpack(f">{segs}H", data[at:at + 2 * segs])
        deltas = struct.unpack(f">{segs}h", data[at + 2 * segs:at + 4 * segs])
        ro_at = at + 4 * segs
        offsets = struct.unpack(f">{segs}H", data[ro_at:ro_at + 2 * segs])
        for s in range(segs):
            for c in range(starts[s], ends[s] + 1):
                if c == 0xFFFF:
                    continue
                if offsets[s] == 0:
                    gid = (c + deltas[s]) & 0xFFFF
                else:
                    addr = ro_at + 2 * s + offsets[s] + 2 * (c - starts[s])
                    gid = struct.unpack(">H", data[addr:addr + 2])[0]
                    gid = (gid + deltas[s]) & 0xFFFF if gid else 0
                if gid:
                    points.add(c)
    return frozenset(points)


class Fonts:
    """The fonts at one pixel size, and which one draws a given character."""

    def __init__(self, size):
        required = [MONO_FONTS[(False, False)], MONO_FONTS[(True, False)], SANS_FONT,
                    SANS_BOLD_FONT, CJK_FONT]
        for path in required:
            if not os.path.exists(path):
                sys.exit(f"render-capture: font {path} is missing; run scripts/setup-screenshots.sh")
        # The oblique faces come with fonts-dejavu-extra; without it italics are drawn upright.
        self.files = {(b, i): p if os.path.exists(p) else MONO_FONTS[(b, False)]
                      for (b, i), p in MONO_FONTS.items()}
        self.size = size
        self.mono = {k: ImageFont.truetype(p, size) for k, p in self.files.items()}
        self.sans = {False: ImageFont.truetype(SANS_FONT, size),
                     True: ImageFont.truetype(SANS_BOLD_FONT, size)}
        self.cjk = ImageFont.truetype(CJK_FONT, size)
        regular = self.mono[(False, False)]
        self.cell_w = round(regular.getlength("M"))
        self.ascent, descent = regular.getmetrics()
        self.cell_h = self.ascent + descent

    def pick(self, ch, bold=False, italic=False):
        """(font, is_mono, needs_fake_bold) for ch: DejaVu Sans Mono, DejaVu Sans, then CJK."""
        o = ord(ch)
        if o in font_codepoints(self.files[(bold, italic)]):
            return self.mono[(bold, italic)], True, False
        if o in font_codepoints(self.files[(False, False)]):
            return self.mono[(False, False)], True, bold
        if o in font_codepoints(SANS_FONT):
            return self.sans[bold], False, False
        return self.cjk, False, bold


# ---------------------------------------------------------------- box drawing and blocks

SS = 4   # supersampling factor for box-drawing masks (straight lines stay pixel-exact)


@functools.lru_cache(maxsize=None)
def box_spec(o):
    """For U+2500..U+257F: ({direction: 1 light | 2 heavy | 3 double}, dashes, arc)."""
    name = unicodedata.name(chr(o), "")
    if not name.startswith("BOX DRAWINGS ") or "DIAGONAL" in name:
        return None
    words = name[len("BOX DRAWINGS "):].split()
    dashes = 0
    if "DASH" in words:
        k = words.index("DASH")
        dashes = {"DOUBLE": 2, "TRIPLE": 3, "QUADRUPLE": 4}[words[k - 1]]
        del words[k - 1:k + 1]
    arc = "ARC" in words
    words = [w for w in words if w != "ARC"]
    weights = {"LIGHT": 1, "SINGLE": 1, "HEAVY": 2, "DOUBLE": 3}
    dirs = {"UP": "U", "DOWN": "D", "LEFT": "L", "RIGHT": "R", "HORIZONTAL": "LR", "VERTICAL": "UD"}
    arms, pending, prefix = {}, [], 1
    for k, w in enumerate(words):
        if w in weights:
            nxt = words[k + 1] if k + 1 < len(words) else "AND"
            if nxt == "AND" and pending:      # postfix: "DOWN LIGHT AND RIGHT HEAVY"
                for d in pending:
                    arms[d] = weights[w]
                pending = []
            else:                             # prefix: "LIGHT UP AND HEAVY DOWN"
                for d in pending:
                    arms[d] = prefix
                pending, prefix = [], weights[w]
        elif w in dirs:
            pending.extend(dirs[w])
    for d in pending:
        arms[d] = prefix
    return arms, dashes, arc


@functools.lru_cache(maxsize=None)
def box_mask(ch, cw, chh, t):
    """An 'L' mask (cw x chh) of a box-drawing character, lines t px thick, joining at edges."""
    W, H, T = cw * SS, chh * SS, t * SS
    mask = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(mask)
    cx, cy = (cw // 2) * SS, (chh // 2) * SS

    def span(c, w):
        return c - (w // SS // 2) * SS, c - (w // SS // 2) * SS + w

    def fill(rect, value):
        x0, y0, x1, y1 = rect
        if x1 > x0 and y1 > y0:
            d.rectangle([x0, y0, x1 - 1, y1 - 1], fill=value)

    o = ord(ch)
    if o in (0x2571, 0x2572, 0x2573):   # diagonals
        if o != 0x2572:
            d.line([(W, 0), (0, H)], fill=255, width=T)
        if o != 0x2571:
            d.line([(0, 0), (W, H)], fill=255, width=T)
        return mask.resize((cw, chh), Image.LANCZOS)
    arms, dashes, arc = box_spec(o)
    widths = {1: T, 2: 2 * T, 3: 3 * T}
    if arc:
        sx = 1 if "R" in arms else -1
        sy = 1 if "D" in arms else -1
        r = min(cw, chh) // 2 * SS
        lx0, lx1 = span(cx, T)
        ly0, ly1 = span(cy, T)
        ccx = lx0 + r if sx > 0 else lx1 - r
        ccy = ly0 + r if sy > 0 else ly1 - r
        start = {(1, 1): 180, (-1, 1): 270, (-1, -1): 0, (1, -1): 90}[(sx, sy)]
        d.arc([ccx - r, ccy - r, ccx + r - 1, ccy + r - 1], start, start + 90, fill=255, width=T)
        ex, ey = (W if sx > 0 else 0), (H if sy > 0 else 0)
        fill((min(ccx, ex), ly0, max(ccx, ex), ly1), 255)
        fill((lx0, min(ccy, ey), lx1, max(ccy, ey)), 255)
        return mask.resize((cw, chh), Image.LANCZOS)
    vert = max([widths[arms[k]] for k in "UD" if k in arms], default=0)
    horiz = max([widths[arms[k]] for k in "LR" if k in arms], default=0)

    def arm_rect(k, w):
        if k in "LR":
            a, b = span(cx, vert or w)
            y0, y1 = span(cy, w)
            return (0, y0, b, y1) if k == "L" else (a, y0, W, y1)
        a, b = span(cy, horiz or w)
        x0, x1 = span(cx, w)
        return (x0, 0, x1, b) if k == "U" else (x0, a, x1, H)

    for k, wt in arms.items():
        fill(arm_rect(k, widths[wt]), 255)
    for k, wt in arms.items():          # hollow out double lines
        if wt == 3:
            g0, g1 = span(cx if k in "UD" else cy, T)
            c0, c1 = span(cy if k in "UD" else cx, T)
            fill({"L": (0, g0, c1, g1), "R": (c0, g0, W, g1),
                  "U": (g0, 0, g1, c1), "D": (g0, c0, g1, H)}[k], 0)
    for k, wt in arms.items():          # single/heavy lines cross the hollows
        if wt != 3:
            fill(arm_rect(k, widths[wt]), 255)
    if dashes:                          # cut gaps into dashed lines
        horizontal = "L" in arms
        length = W if horizontal else H
        seg = length / dashes
        gap = max(SS, round(seg * 0.3 / SS) * SS)
        for k in range(dashes):
            e = round((k + 1) * seg / SS) * SS
            cut = (e - gap, 0, e, H) if horizontal else (0, e - gap, W, e)
            fill(cut, 0)
    return mask.resize((cw, chh), Image.LANCZOS)


def draw_block(draw, ch, x, y, cw, chh, fg, bg):
    """Draws a block element (U+2580..U+259F) as rectangles; False if ch is not one."""
    o = ord(ch)
    if not 0x2580 <= o <= 0x259F:
        return False

    def rect(x0, y0, x1, y1, colour=fg):
        if x1 > x0 and y1 > y0:
            draw.rectangle([x + x0, y + y0, x + x1 - 1, y + y1 - 1], fill=colour)

    hx, hy = round(cw / 2), round(chh / 2)
    if o == 0x2580:
        rect(0, 0, cw, hy)
    elif 0x2581 <= o <= 0x2588:
        rect(0, chh - round(chh * (o - 0x2580) / 8), cw, chh)
    elif 0x2589 <= o <= 0x258F:
        rect(0, 0, round(cw * (0x2590 - o) / 8), chh)
    elif o == 0x2590:
        rect(hx, 0, cw, chh)
    elif o in (0x2591, 0x2592, 0x2593):
        rect(0, 0, cw, chh, blend(bg, fg, (o - 0x2590) / 4))
    elif o == 0x2594:
        rect(0, 0, cw, round(chh / 8))
    elif o == 0x2595:
        rect(cw - round(cw / 8), 0, cw, chh)
    else:   # quadrants ▖▗▘▙▚▛▜▝▞▟: bits upper-left, upper-right, lower-left, lower-right
        quads = {0x2596: "0010", 0x2597: "0001", 0x2598: "1000", 0x2599: "1011",
                 0x259A: "1001", 0x259B: "1110", 0x259C: "1101", 0x259D: "0100",
                 0x259E: "0110", 0x259F: "0111"}[o]
        boxes = [(0, 0, hx, hy), (hx, 0, cw, hy), (0, hy, hx, chh), (hx, hy, cw, chh)]
        for bit, b in zip(quads, boxes):
            if bit == "1":
                rect(*b)
    return True


# ---------------------------------------------------------------- rendering

def resolve(colour, default):
    if colour is None:
        return default
    return xterm256(colour) if isinstance(colour, int) else colour


def cell_colours(style):
    fg, bg = resolve(style.fg, DEFAULT_FG), resolve(style.bg, DEFAULT_BG)
    if style.reverse:
        fg, bg = bg, fg
    if style.dim:
        fg = blend(fg, bg, 0.5)
    if style.hidden:
        fg = bg
    return fg, bg


def draw_text(draw, fonts, x, y, text, colour):
    """Draws text with per-character font fallback from (x, baseline y); returns its width."""
    for ch in text:
        font, _, _ = fonts.pick(ch)
        draw.text((x, y), ch, font=font, fill=colour, anchor="ls")
        x += font.getlength(ch)
    return x


def text_length(fonts, text):
    return sum(fonts.pick(ch)[0].getlength(ch) for ch in text)


def render(grid, cols, rows, font_size=16, padding=12, title=None):
    """Renders a parsed grid; returns (image, metrics dict)."""
    fonts = Fonts(font_size)
    cw, chh = fonts.cell_w, fonts.cell_h
    t = max(1, round(cw / 10))
    title_h = round(chh * 1.7) if title is not None else 0
    width, height = 2 * padding + cols * cw, title_h + 2 * padding + rows * chh
    img = Image.new("RGB", (width, height), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    if title is not None:
        draw.rectangle([0, 0, width - 1, title_h - 1], fill=TITLE_BG)
        r = max(3, round(title_h * 0.16))
        for k, colour in enumerate([(0xFF, 0x5F, 0x57), (0xFE, 0xBC, 0x2E), (0x28, 0xC8, 0x40)]):
            mx = padding + r + k * round(r * 3.2)
            draw.ellipse([mx - r, title_h // 2 - r, mx + r, title_h // 2 + r], fill=colour)
        tx = (width - text_length(fonts, title)) / 2
        draw_text(draw, fonts, tx, title_h // 2 + round(fonts.ascent * 0.35), title, TITLE_FG)
    ox, oy = padding, title_h + padding
    for r_, line in enumerate(grid):            # backgrounds first, so glyphs may overhang
        for c, cell in enumerate(line):
            if cell is None:
                continue
            _, bg = cell_colours(cell[1])
            if bg != DEFAULT_BG:
                x, y = ox + c * cw, oy + r_ * chh
                draw.rectangle([x, y, x + cell[2] * cw - 1, y + chh - 1], fill=bg)
    for r_, line in enumerate(grid):
        for c, cell in enumerate(line):
            if cell is None:
                continue
            text, style, w = cell
            fg, bg = cell_colours(style)
            x, y = ox + c * cw, oy + r_ * chh
            span_w = w * cw
            first = text[0]
            if first != " " and not style.hidden:
                if 0x2500 <= ord(first) <= 0x257F:
                    img.paste(fg, (x, y, x + cw, y + chh), box_mask(first, cw, chh, t))
                elif not draw_block(draw, first, x, y, cw, chh, fg, bg):
                    font, mono, fake_bold = fonts.pick(first, style.bold, style.italic)
                    gx = x if mono else x + (span_w - font.getlength(text)) / 2
                    draw.text((gx, y + fonts.ascent), text, font=font, fill=fg, anchor="ls")
                    if fake_bold:
                        draw.text((gx + 1, y + fonts.ascent), text, font=font, fill=fg, anchor="ls")
            if style.underline and not style.hidden:
                uy = y + fonts.ascent + max(1, (chh - fonts.ascent) // 3)
                draw.rectangle([x, uy, x + span_w - 1, uy + t - 1], fill=fg)
                if style.underline == 2:
                    draw.rectangle([x, uy + 2 * t, x + span_w - 1, uy + 3 * t - 1], fill=fg)
            if style.strike and not style.hidden:
                sy = y + fonts.ascent - round(font_size * 0.3)
                draw.rectangle([x, sy, x + span_w - 1, sy + t - 1], fill=fg)
            if style.overline and not style.hidden:
                draw.rectangle([x, y, x + span_w - 1, y + t - 1], fill=fg)
    metrics = {"cell_w": cw, "cell_h": chh, "padding": padding, "title_h": title_h,
               "line": t, "width": width, "height": height}
    return img, metrics


# ---------------------------------------------------------------- self-test

def self_test():
    cols, rows, padding, size = 40, 12, 12, 16
    E = "\x1b["
    lines = [
        f"{E}1m┌──────────────────┐{E}0m  {E}7m reverse {E}27m",
        f"│ 名前: {E}33m山田太郎{E}39m   │  {E}4munder{E}24m {E}2mdim{E}22m",
        f"├──────────────────┤  {E}38;5;208m256{E}39m {E}38;2;80;200;120mRGB{E}m",
        f"│{E}31mR{E}32mG{E}33mY{E}34mB{E}35mM{E}36mC{E}37mW{E}90mK{E}91mr{E}92mg{E}93my{E}94mb"
        f"{E}95mm{E}96mc{E}97mw{E}0m   │  {E}41;97m bg {E}0m",
        f"└──────────────────┘  █▓▒░▌▐▀▄",
        f"{E}44m漢字X{E}0mX",
        "╔══╦══╗ ╭──╮ ┏━━┓",
        "║  ║  ║ │  │ ┃  ┃",
        "╠══╬══╣ ╰──╯ ┗━━┛",
        "╚══╩══╝ \x0elqqk\x0f e\u0301 ⚠ ✔",
    ]
    grid = parse_capture("\n".join(lines) + "\n", cols, rows)
    img, m = render(grid, cols, rows, size, padding)
    cw, chh = m["cell_w"], m["cell_h"]
    px = img.load()

    def cell_xy(c, r):
        return padding + c * cw, padding + r * chh

    failures = []

    def check(ok, what):
        print(("  ok   " if ok else "  FAIL ") + what)
        if not ok:
            failures.append(what)

    print(f"cell {cw}x{chh} px, padding {padding}, line {m['line']} px, grid {cols}x{rows}")
    print(f"image {img.width}x{img.height}, expected "
          f"{2 * padding + cols * cw}x{2 * padding + rows * chh}")
    check(img.size == (2 * padding + cols * cw, 2 * padding + rows * chh), "image size")

    # Wide characters: 名前 takes columns 2-5, so 山田太郎 must cover columns 8..15, 2 cells each.
    check([grid[1][8 + 2 * k][0] for k in range(4)] == list("山田太郎")
          and all(grid[1][9 + 2 * k] is None for k in range(4)), "parser: CJK at cols 8,10,12,14 + continuations")
    check(grid[1][19][0] == "│", "parser: box edge after CJK row stays at column 19")
    yellow = ANSI16[3]

    def ink(c0, c1, r, colour):
        x0, y0 = cell_xy(c0, r)
        x1 = x0 + (c1 - c0) * cw
        return sum(1 for x in range(x0, x1) for y in range(y0, y0 + chh)
                   if sum(abs(a - b) for a, b in zip(px[x, y], colour)) < 120)

    halves = [ink(c, c + 1, 1, yellow) for c in range(8, 16)]
    print(f"  yellow ink per cell over 山田太郎 (cols 8-15): {halves}")
    check(all(h > 0 for h in halves), "each CJK glyph inks both of its cells")
    check(ink(7, 8, 1, yellow) == 0 and ink(16, 17, 1, yellow) == 0, "no CJK ink outside cols 8-15")
    # Row 5: 漢字 on a blue background covers exactly 4 cells; X sits in column 4.
    blue = ANSI16[4]
    bg_cells = [px[cell_xy(c, 5)[0] + cw // 2, cell_xy(c, 5)[1] + 1] == blue for c in range(6)]
    print(f"  blue background cells on row 5 (cols 0-5): {bg_cells}")
    check(bg_cells == [True, True, True, True, True, False], "wide chars take 2 cells (漢字X bg = 5 cells)")
    # Box lines join: the horizontal rule on row 0 and the vertical at column 0 have no gaps.
    x0, y0 = cell_xy(0, 0)
    cy = y0 + chh // 2
    run = [px[x, cy] for x in range(x0 + cw // 2, x0 + 19 * cw + cw // 2 + 1)]
    gaps = sum(1 for p in run if p == DEFAULT_BG)
    print(f"  horizontal rule row 0: {len(run)} px, {gaps} background px")
    check(gaps == 0, "box horizontal line is continuous across cells")
    cx = x0 + cw // 2
    col_run = [px[cx, y] for y in range(cy, cell_xy(0, 4)[1] + chh // 2 + 1)]
    vgaps = sum(1 for p in col_run if p == DEFAULT_BG)
    print(f"  vertical rule col 0: {len(col_run)} px, {vgaps} background px")
    check(vgaps == 0, "box vertical line is continuous across rows")
    dx, dy = cell_xy(0, 6)
    dgaps = sum(1 for y in range(dy + chh // 2 - 1, cell_xy(0, 9)[1] + chh // 2)
                if px[dx + cw // 2 - 1, y] == DEFAULT_BG)
    check(dgaps == 0, "double box outer line is continuous")
    check(grid[9][8][0] == "┌" and grid[9][9][0] == "─", "SO/SI line-drawing charset maps to ┌─")
    check(grid[9][13][0] == "e\u0301", "combining accent joins its base cell")
    # Reverse video: " reverse " has default fg as background.
    rx, ry = cell_xy(23, 0)
    check(px[rx + 1, ry + 1] == DEFAULT_FG, "reverse video swaps fg/bg")
    # Block: █ fills its cell completely, in default fg.
    bx, by = cell_xy(22, 4)
    check(all(px[x, y] == DEFAULT_FG for x in range(bx, bx + cw) for y in range(by, by + chh)),
          "full block fills its cell")
    # With a title bar the image grows by the bar's height only.
    img2, m2 = render(grid, cols, rows, size, padding, title="authgear-migrate")
    check(img2.size == (img.width, img.height + m2["title_h"]), f"title bar adds {m2['title_h']} px")
    img3, m3 = render(grid, cols, rows, 2 * size, 2 * padding)
    print(f"  at font size {2 * size}: cell {m3['cell_w']}x{m3['cell_h']}, image {img3.width}x{img3.height}")
    check(img3.size == (4 * padding + cols * m3["cell_w"], 4 * padding + rows * m3["cell_h"]),
          "image size at --scale 2")
    out = Path(os.environ.get("TMPDIR", "/tmp")) / "render-capture-self-test.png"
    img2.save(out)
    print(f"self-test image: {out}")
    print("self-test: " + ("PASS" if not failures else f"FAIL ({len(failures)})"))
    return 0 if not failures else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("capture", nargs="?", help="capture file (default: stdin)")
    p.add_argument("--width", type=int, help="pane columns")
    p.add_argument("--height", type=int, help="pane rows")
    p.add_argument("-o", "--output", help="PNG to write")
    p.add_argument("--title", help="draw a window title bar with this text")
    p.add_argument("--font-size", type=int, default=16, help="font size in px (default 16)")
    p.add_argument("--padding", type=int, default=12, help="margin around the grid in px (12)")
    p.add_argument("--scale", type=int, default=1, help="multiply font size and padding (HiDPI)")
    p.add_argument("--self-test", action="store_true", help="render a synthetic capture and check it")
    a = p.parse_args()
    if a.self_test:
        return self_test()
    if not (a.width and a.height and a.output):
        p.error("--width, --height and -o are required")
    if a.capture:
        text = Path(a.capture).read_bytes().decode("utf-8", "replace")
    else:
        text = sys.stdin.buffer.read().decode("utf-8", "replace")
    grid = parse_capture(text, a.width, a.height)
    img, m = render(grid, a.width, a.height, a.font_size * a.scale, a.padding * a.scale, a.title)
    img.save(a.output, optimize=True)
    print(f"render-capture: {a.output} {m['width']}x{m['height']} px "
          f"({a.width}x{a.height} cells of {m['cell_w']}x{m['cell_h']} px)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

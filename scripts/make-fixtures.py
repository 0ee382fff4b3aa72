#!/usr/bin/env python3
"""Render corpus notices into every format gongwen reads, for the format-equivalence tests.

    python3 scripts/make-fixtures.py [OUT_DIR]      # default: tests/fixtures/formats

For each notice in NOTICES (a .txt under corpus/) it writes NAME.pdf (text layer: reportlab
with WenQuanYi Zen Hei, A4, lines wrapped like a typeset 公文 with a page number footer),
NAME.scan.pdf (first two notices: the PDF rendered at 300 dpi, gray, slightly skewed, noisy, with a seal;
JPEG pages), NAME.docx (python-docx; tab-separated lines become a table), NAME.ofd (zip +
XML written here: one TextObject per half line, in shuffled order), NAME.html (a
government site's page: header, nav, breadcrumbs, title, info line, content, footer with
a phone number that is not a contact). For the first notice also NAME.png (page 1,
black-and-white with speckles) and NAME.jpg (a colour photo of page 1 with a red seal).

    python3 scripts/make-fixtures.py --scans OUT_DIR NOTICE.txt...

writes only NAME.pdf and NAME.scan.pdf of each notice given (an evaluation set for OCR, see
scripts/score-scans.sh; not committed).

Deterministic (fixed random seed). Needs: reportlab, python-docx, pillow (installed by
scripts/setup.sh), fonts-wqy-zenhei, poppler-utils (pdftoppm).
"""

import io
import math
import random
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.shared import Pt
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
NOTICES = [
    ("003_50dae97726b0998a", "corpus/003_50dae97726b0998a.txt"),
    ("f01_zj-cert-fire-ebike-check", "corpus/f01_zj-cert-fire-ebike-check.txt"),
    ("f07_wz-crane-check-annex-table", "corpus/f07_wz-crane-check-annex-table.txt"),
]

# A4 in points; body 13 pt with 22 pt leading, 2.5 cm margins.
PAGE_W, PAGE_H = 595.0, 842.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 72.0, 72.0, 80.0
SIZE, LEADING = 13.0, 22.0
LINES_PER_PAGE = int((PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) // LEADING)
MM_PER_PT = 25.4 / 72.0


def width(s):
    """Advance of a string in ems: CJK 1, ASCII 0.5."""
    return sum(0.5 if ord(c) < 0x2000 else 1.0 for c in s)


def source_lines(path):
    return [l.rstrip("\n").replace("\ufeff", "") for l in open(ROOT / path, encoding="utf-8")]


def wrap(lines):
    """Visual lines (text, x offset in ems) of a page body: paragraphs indented by two
    ems and broken at the right margin, table rows as cells at column stops."""
    per_line = (PAGE_W - 2 * MARGIN_X) / SIZE
    out = []
    for line in lines:
        if not line.strip():
            continue
        if "\t" in line.strip():  # a tab inside the line: a table row (a leading one indents)
            out.append(("\t".join(c.strip() for c in line.split("\t")), 0.0))
            continue
        text = line.strip()
        indent = 2.0 if width(text) > 20 else 0.0
        cur, cur_w, first = "", indent, True
        for c in text:
            w = width(c)
            if cur_w + w > per_line:
                out.append((cur, indent if first else 0.0))
                cur, cur_w, first = "", 0.0, False
            cur += c
            cur_w += w
        out.append((cur, indent if first else 0.0))
    return [out[i : i + LINES_PER_PAGE] for i in range(0, len(out), LINES_PER_PAGE)]


def cells(text):
    """Table cells at column stops of 9 ems."""
    return [(i * 9.0, c) for i, c in enumerate(text.split("\t"))]


def make_pdf(pages, out):
    pdfmetrics.registerFont(TTFont("WQY", FONT))
    c = canvas.Canvas(str(out), pagesize=(PAGE_W, PAGE_H))
    c.setTitle(out.stem)
    for n, page in enumerate(pages, 1):
        c.setFont("WQY", SIZE)
        y = PAGE_H - MARGIN_TOP
        for text, indent in page:
            if "\t" in text:
                for x, cell in cells(text):
                    c.drawString(MARGIN_X + x * SIZE, y, cell)
            else:
                c.drawString(MARGIN_X + indent * SIZE, y, text)
            y -= LEADING
        c.setFont("WQY", 11)
        c.drawCentredString(PAGE_W / 2, 40, f"— {n} —")
        c.showPage()
    c.save()


def seal(img, cx, cy, r, colour):
    """A round seal: ring, star and an arc of text."""
    d = ImageDraw.Draw(img)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=colour, width=max(3, r // 18))
    star = [
        (cx + r * 0.25 * math.cos(math.pi / 2 + k * 2 * math.pi / 5 * 2),
         cy - r * 0.25 * math.sin(math.pi / 2 + k * 2 * math.pi / 5 * 2))
        for k in range(5)
    ]
    d.polygon(star, fill=colour)
    font = ImageFont.truetype(FONT, int(r * 0.22))
    text = "市场监督管理局"
    for i, ch in enumerate(text):
        a = math.radians(210 - i * (240 / (len(text) - 1)))
        x, y = cx + r * 0.72 * math.cos(a), cy - r * 0.72 * math.sin(a)
        d.text((x, y), ch, font=font, fill=colour, anchor="mm")


def rasterise(pdf, dpi=200):
    png = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf)],
        check=True, capture_output=True,
    )
    # pdftoppm to stdout concatenates PNGs: split at each signature
    data, sig, images = png.stdout, b"\x89PNG\r\n\x1a\n", []
    starts = [i for i in range(len(data)) if data.startswith(sig, i)]
    for a, b in zip(starts, starts[1:] + [len(data)]):
        images.append(Image.open(io.BytesIO(data[a:b])).convert("L"))
    return images


def degrade(img, rng, angle, sigma, colour_seal=False):
    """A scan: skew, a seal near the bottom right, gaussian noise, blur."""
    img = img.convert("RGB")
    w, h = img.size
    seal(img, int(w * 0.7), int(h * 0.78), int(w * 0.09), (220, 30, 30))
    img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    noise = Image.effect_noise((w, h), sigma).convert("RGB")
    img = Image.blend(img, noise, 0.05)
    img = img.filter(ImageFilter.GaussianBlur(0.4))
    return img if colour_seal else img.convert("L")


# Resolution of the scanned PDFs (the ingestion bar is set on 300 dpi scans); the PNG and
# the photo are 200 dpi, so both ends of the 150–300 dpi range are covered.
SCAN_DPI = 300


def make_scan_pdf(pdf, out, rng):
    """A scanned PDF: every page rasterised at SCAN_DPI and degraded, as JPEG pages."""
    scanned = [degrade(p, rng, rng.uniform(-0.8, 0.8), 40) for p in rasterise(pdf, SCAN_DPI)]
    scanned[0].save(
        out, save_all=True, append_images=scanned[1:], resolution=SCAN_DPI, quality=45,
    )


def make_scans(pdf, stem, out_dir, rng, with_images):
    if with_images is None:
        return
    make_scan_pdf(pdf, out_dir / f"{stem}.scan.pdf", rng)
    pages = rasterise(pdf)
    if with_images:
        # a PNG of page 1: clean gray with sparse speckles (small)
        png = pages[0].copy()
        d = ImageDraw.Draw(png)
        for _ in range(1500):
            x, y = rng.randrange(png.width), rng.randrange(png.height)
            d.point((x, y), fill=rng.choice([0, 90, 160]))
        png = png.rotate(0.4, resample=Image.BICUBIC, fillcolor=255)
        # scanner black-and-white mode: bilevel, which also keeps the file small
        png = png.point(lambda v: 255 if v > 150 else 0).convert("1")
        png.save(out_dir / f"{stem}.png", optimize=True, dpi=(200, 200))
        # a colour photo of page 1 with a red seal
        photo = degrade(pages[0], rng, -1.0, 30, colour_seal=True)
        photo.save(out_dir / f"{stem}.jpg", quality=60, dpi=(200, 200))


def make_docx(lines, out):
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(16)
    i = 0
    while i < len(lines):
        if "\t" in lines[i].strip():
            rows = []
            while i < len(lines) and "\t" in lines[i].strip():
                rows.append(lines[i].split("\t"))
                i += 1
            ncols = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=ncols)
            for r, row in enumerate(rows):
                for col, cell in enumerate(row):
                    table.cell(r, col).text = cell.strip()
            continue
        if lines[i].strip():
            doc.add_paragraph(lines[i].strip())
        i += 1
    doc.core_properties.author = "gongwen fixtures"
    doc.save(out)


def make_ofd(pages, out, rng):
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    size_mm = SIZE * MM_PER_PT
    files = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD {ns} Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>gongwen-fixture</ofd:DocID><ofd:Creator>make-fixtures.py</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
        "Doc_0/PublicRes.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res {ns} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="WenQuanYi Zen Hei" FamilyName="WenQuanYi Zen Hei"/></ofd:Fonts></ofd:Res>',
    }
    page_refs, uid = [], 10
    for n, page in enumerate(pages):
        objects = []
        y = MARGIN_TOP * MM_PER_PT
        for text, indent in page:
            pieces = (
                [(x, c) for x, c in cells(text)]
                if "\t" in text
                else [(indent, text)]
            )
            for x_em, piece in pieces:
                # split a line into two text objects at a random point
                cut = rng.randrange(1, len(piece)) if len(piece) > 4 else len(piece)
                x0 = MARGIN_X * MM_PER_PT + x_em * size_mm
                for part in (piece[:cut], piece[cut:]):
                    if not part:
                        continue
                    deltas = " ".join(f"{width(c) * size_mm:.3f}" for c in part[:-1])
                    w = width(part) * size_mm
                    uid += 1
                    objects.append(
                        f'<ofd:TextObject ID="{uid}" Boundary="{x0:.3f} {y:.3f} {w + 1:.3f} {size_mm * 1.4:.3f}" Font="2" Size="{size_mm:.3f}">'
                        f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{size_mm:.3f}" DeltaX="{deltas}">{escape(part)}</ofd:TextCode></ofd:TextObject>'
                    )
                    x0 += w
            y += LEADING * MM_PER_PT
        rng.shuffle(objects)
        uid += 1
        files[f"Doc_0/Pages/Page_{n}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page {ns}><ofd:Content><ofd:Layer ID="{uid}">'
            + "".join(objects)
            + "</ofd:Layer></ofd:Content></ofd:Page>"
        )
        page_refs.append(f'<ofd:Page ID="{n + 1}" BaseLoc="Pages/Page_{n}/Content.xml"/>')
    files["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>{uid}</ofd:MaxUnitID>'
        f'<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>'
        f'<ofd:Pages>{"".join(page_refs)}</ofd:Pages></ofd:Document>'
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)


def title_of(lines):
    """The notice title: the first line ending with a 文种 (for the page heading)."""
    for l in lines[:8]:
        s = l.strip()
        if s.endswith(("通知", "通报", "意见", "函", "决定", "公告", "方案")) and len(s) > 8:
            return s
    return lines[0].strip()


def make_html(lines, out, gbk):
    body, i = [], 0
    while i < len(lines):
        if "\t" in lines[i].strip():
            rows = []
            while i < len(lines) and "\t" in lines[i].strip():
                rows.append("<tr>" + "".join(f"<td>{escape(c.strip())}</td>" for c in lines[i].split("\t")) + "</tr>")
                i += 1
            body.append('<table border="1" cellspacing="0">' + "".join(rows) + "</table>")
            continue
        if lines[i].strip():
            body.append(f'<p style="text-indent:2em">{escape(lines[i].strip())}</p>')
        i += 1
    charset = "gb2312" if gbk else "utf-8"
    title = escape(title_of(lines))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_通知公告_市场监督管理局</title>
<link rel="stylesheet" href="/css/main.css">
<style>body{{font-family:SimSun}} .nav li{{display:inline}}</style>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
</head><body>
<div class="header"><div class="logo"><img src="/img/logo.png" alt="市场监督管理局"></div>
<div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/jggk/">机构概况</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="main w1200">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/tzgg/">通知公告</a></div>
<div class="article">
<h1 class="article-title">{title}</h1>
<div class="info"><span>发布时间：2024-06-21 09:30</span><span>来源：办公室</span><span>浏览次数：1024</span><span>【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span></div>
<div id="zoom" class="TRS_Editor">
{chr(10).join(body)}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="related"><h3>相关文章</h3><ul><li><a href="/a/1.html">关于开展2023年度认证有效性抽查的通知</a></li><li><a href="/a/2.html">关于公布检验检测机构名单的公告</a></li></ul></div>
</div>
<div class="footer"><p>主办单位：市场监督管理局 地址：某某路100号 邮编：350001</p><p>联系电话：0591-88888888 网站标识码：3500000001 闽ICP备05000000号</p></div>
</body></html>
"""
    out.write_bytes(page.encode("gb18030" if gbk else "utf-8"))


def scans_only(out_dir, notices):
    """NAME.pdf and NAME.scan.pdf of each notice file, for an OCR evaluation set."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in notices:
        path = Path(path).resolve()
        stem = path.name.split(".")[0]
        rng = random.Random(stem)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        lines = [l.replace("\ufeff", "") for l in text.split("\n")]
        pdf = out_dir / f"{stem}.pdf"
        make_pdf(wrap(lines), pdf)
        make_scan_pdf(pdf, out_dir / f"{stem}.scan.pdf", rng)
        print(f"make-fixtures: {stem}.pdf, {stem}.scan.pdf")


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--scans":
        return scans_only(Path(sys.argv[2]), sys.argv[3:])
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/fixtures/formats"
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20240621)
    for k, (stem, path) in enumerate(NOTICES):
        lines = source_lines(path)
        pages = wrap(lines)
        pdf = out_dir / f"{stem}.pdf"
        make_pdf(pages, pdf)
        # scans of the first two notices only (size of the committed fixtures)
        make_scans(pdf, stem, out_dir, rng, with_images=(k == 0) if k < 2 else None)
        make_docx(lines, out_dir / f"{stem}.docx")
        make_ofd(pages, out_dir / f"{stem}.ofd", rng)
        make_html(lines, out_dir / f"{stem}.html", gbk=(k == 1))
        print(f"make-fixtures: {stem}: {len(pages)} pages")
    total = sum(p.stat().st_size for p in out_dir.iterdir())
    print(f"make-fixtures: {out_dir} holds {total // 1024} KB")


if __name__ == "__main__":
    main()

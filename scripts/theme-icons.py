"""Renders the default theme's app icons from its favicon.svg in headless chromium:
icon-192.png and icon-512.png (the mark as it is) and icon-maskable-512.png (the mark on
a full-bleed square, inside the maskable safe zone). Run by hand after changing the mark;
the PNGs are committed.

Usage: python3 scripts/theme-icons.py DRIVER_URL   (a running chromedriver)
"""
import base64
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "Tests", "Browser"))
from webdriver import Browser  # noqa: E402

assets = os.path.join(here, "..", "themes", "default", "assets")
svg = open(os.path.join(assets, "favicon.svg"), encoding="utf-8").read()
glyph = svg[svg.index("<path"):svg.index("</svg>")]
path = glyph.replace('transform="translate(6.4 6.4) scale(.8)"', 'transform="translate(16 16) scale(.7) translate(-12 -12)"')
maskable = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="#e8891d"/>' + path + '</svg>'

browser = Browser(sys.argv[1])
browser.resize(1200, 1200)
try:
    for name, source, size in [("icon-192.png", svg, 192), ("icon-512.png", svg, 512), ("icon-maskable-512.png", maskable, 512)]:
        html = ("<html><body style='margin:0;background:transparent;overflow:hidden'>"
                "<img src='data:image/svg+xml;base64,%s' width=%d height=%d style='display:block'></body></html>"
                % (base64.b64encode(source.encode()).decode(), size, size))
        browser.go("data:text/html;base64," + base64.b64encode(html.encode()).decode())
        browser.cdp("Emulation.setDefaultBackgroundColorOverride", {"color": {"r": 0, "g": 0, "b": 0, "a": 0}})
        shot = browser.cdp("Page.captureScreenshot", {"format": "png", "clip": {"x": 0, "y": 0, "width": size, "height": size, "scale": 1}})
        with open(os.path.join(assets, name), "wb") as out:
            out.write(base64.b64decode(shot["data"]))
finally:
    browser.quit()

"""plotly.js served from our own origin, out of the plotly wheel: the portal's charts work offline
and no visit leaks to a CDN.

Three files, all under a versioned URL so a browser may keep them for a year:
- `plotly-<version>.min.js`, the bundle the Python package ships (package_data);
- `plotly-<version>.css`, plotly's own base style rules. The bundle inserts them with an inline
  <style> element, which the portal's Content-Security-Policy (style-src 'self') blocks; plotly
  skips that when the page links a stylesheet with the id `plotly.js-style-global` and the class
  `no-inline-styles`. The rules are read out of the bundle itself (the object literal it passes
  to addStyleRule), so they always match the bundle served.
- `plotly-<version>-maps.css`, the map library's (MapLibre) stylesheet. The bundle inserts it,
  as soon as it loads, as an inline <style> whose id is the hash of its text, unless an element
  with that id is already on the page: the page links this file under that id instead. Text and
  id are read out of the bundle too.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
from dataclasses import dataclass
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import Response
from plotly.offline import get_plotlyjs_version
from starlette.requests import Request

from ecredit.web.render import PortalError

PREFIX = "/static/vendor"
CACHE_FOR_A_YEAR = "public, max-age=31536000, immutable"
# plotly's base rules: {"X,X div":'…',"X input,X button":"…", …, Y:'…'} (keys may be bare).
_RULES_START = '{"X,X div":'
_STRING = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
_RULE = re.compile(r"\s*(?:" + _STRING + r"|([A-Za-z_$][\w$]*))\s*:\s*" + _STRING + r"\s*([,}])")
# The map styles: if(!document.getElementById("<id>")){var e=document.createElement("style");
# e.id="<id>",e.textContent='<css>',…
_MAP_STYLE = re.compile(
    r'document\.getElementById\("(?P<id>[0-9a-f]{64})"\)\)\{var (?P<var>\w+)=document\.'
    r'createElement\("style"\);(?P=var)\.id="(?P=id)",(?P=var)\.textContent=' + _STRING
)
router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes
    media_type: str

    @functools.cached_property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


def version() -> str:
    return str(get_plotlyjs_version())


def js_url() -> str:
    return f"{PREFIX}/plotly-{version()}.min.js"


def css_url() -> str:
    return f"{PREFIX}/plotly-{version()}.css"


def maps_css_url() -> str:
    return f"{PREFIX}/plotly-{version()}-maps.css"


def maps_css_id() -> str:
    """The id under which the page links the map styles, so that plotly does not inline them."""
    return maps_css(_bundle())[0]


@functools.cache
def _bundle() -> str:
    path = resources.files("plotly") / "package_data" / "plotly.min.js"
    return path.read_text(encoding="utf-8")


def base_css(bundle: str) -> str:
    """plotly's base rules as a stylesheet, with the selectors plotly itself builds from them."""
    start = bundle.find(_RULES_START)
    if start < 0:
        raise ValueError("plotly.min.js: its base style rules were not found")
    rules, position, end = [], start + 1, ","
    while end != "}":
        match = _RULE.match(bundle, position)
        if match is None:
            raise ValueError(f"plotly.min.js: unreadable style rule at offset {position}")
        quoted, single, bare, value, single_value, end = match.groups()
        selector = re.sub(r"^,", " ,", quoted or single or bare)
        selector = selector.replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        rules.append(f"{selector}{{{value if value is not None else single_value}}}")
        position = match.end()
    return "\n".join(rules) + "\n"


@functools.cache
def maps_css(bundle: str) -> tuple[str, str]:
    """The id plotly gives the map library's <style> element, and its text."""
    match = _MAP_STYLE.search(bundle)
    if match is None:
        raise ValueError("plotly.min.js: its map styles were not found")
    _, _, double, single = match.groups()
    # A minified literal escapes only quotes and backslashes (none in this one so far).
    return match["id"], re.sub(r"\\(.)", r"\1", double if double is not None else single)


def _asset(text: str, media_type: str) -> Asset:
    body = text.encode()
    return Asset(body, gzip.compress(body, compresslevel=9, mtime=0), media_type)


@functools.cache
def _assets() -> dict[str, Asset]:
    """Built once per process: the bundle is 4.8 MB, 1.4 MB gzipped."""
    return {
        f"plotly-{version()}.min.js": _asset(_bundle(), "text/javascript; charset=utf-8"),
        f"plotly-{version()}.css": _asset(base_css(_bundle()), "text/css; charset=utf-8"),
        f"plotly-{version()}-maps.css": _asset(maps_css(_bundle())[1], "text/css; charset=utf-8"),
    }


@router.get(PREFIX + "/{name}")
def vendor_file(request: Request, name: str) -> Response:
    asset = _assets().get(name)
    if asset is None:
        raise PortalError(404)
    headers = {"Cache-Control": CACHE_FOR_A_YEAR, "ETag": asset.etag, "Vary": "Accept-Encoding"}
    if asset.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)

"""Fetching letters and reports from Ofsted's site: an allow-list of hosts, one deadline, a size limit."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import pandas as pd

from ..errors import shorten
from ..fileio import atomic_bytes
from .text import LetterError

# --- fetching ----------------------------------------------------------------------------------------------
ALLOWED_HOSTS = frozenset(
    {"reports.ofsted.gov.uk", "files.ofsted.gov.uk", "www.gov.uk", "assets.publishing.service.gov.uk"}
)
MAX_BYTES = 25 * 1024 * 1024


MAX_HOPS = 5


def _target(url: str, allowed_hosts) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an allowed URL; else LetterError. An allow-list entry is a host (its
    scheme's default port) or host:port."""
    from urllib.parse import urlsplit

    u = urlsplit(url)
    if u.scheme not in ("http", "https") or not u.hostname:
        raise LetterError(url, "only http(s) URLs can be fetched")
    try:
        port = u.port or (443 if u.scheme == "https" else 80)
    except ValueError:
        raise LetterError(url, "bad port") from None
    default = 443 if u.scheme == "https" else 80
    ok = f"{u.hostname}:{port}" in allowed_hosts or (port == default and u.hostname in allowed_hosts)
    if not ok:
        raise LetterError(url, f"host not allowed: {u.hostname}:{port} (allowed: {', '.join(sorted(allowed_hosts))})")
    return u.scheme, u.hostname, port, (u.path or "/") + (f"?{u.query}" if u.query else "")


def _get(url: str, *, allowed_hosts, timeout: float, max_bytes: int, max_hops: int = MAX_HOPS) -> bytes:
    """One download with a User-Agent naming the package. Redirects are followed one hop at a time, each
    target checked (scheme, host and port) before any request is sent to it, at most ``max_hops``; the whole
    download, redirects included, must finish within ``timeout`` seconds (a deadline, not a per-read
    timeout); more than ``max_bytes`` is refused."""
    import http.client
    import threading
    import time
    from urllib.parse import urljoin

    from .. import __version__

    deadline = time.monotonic() + timeout
    headers = {"User-Agent": f"sendstats/{__version__} (research software; SEND inspection letters)"}
    current = url
    for _hop in range(max_hops + 1):
        scheme, host, port, path = _target(current, allowed_hosts)
        left = deadline - time.monotonic()
        if left <= 0:
            raise LetterError(url, f"took longer than the {timeout:g}-second limit")
        cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conn = cls(host, port, timeout=left)
        watchdog = None
        try:
            conn.connect()
            # one deadline for everything after the connect, the status line and headers included: at the
            # deadline the socket is shut, so a server sending a byte at a time cannot hold the download
            watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _shut, (conn.sock,))
            watchdog.daemon = True
            watchdog.start()
            conn.request("GET", path, headers=headers)
            sock = conn.sock  # http.client drops its reference once a closing response is read
            resp = conn.getresponse()
            if resp.status in (301, 302, 303, 307, 308):
                location = resp.getheader("Location")
                if not location:
                    raise LetterError(url, f"HTTP {resp.status} without a Location")
                current = urljoin(current, location)
                continue
            if resp.status != 200:
                raise LetterError(url, f"HTTP {resp.status} {resp.reason}")
            declared = resp.getheader("Content-Length")
            try:
                size = int(declared) if declared is not None else None
            except ValueError:
                raise LetterError(url, f"malformed Content-Length header {shorten(declared, 40)!r}") from None
            if size is not None and size < 0:
                raise LetterError(url, f"malformed Content-Length header {declared!r}")
            if size is not None and size > max_bytes:
                raise LetterError(url, f"larger than the {max_bytes:,}-byte limit ({size:,} bytes)")
            chunks, got = [], 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise LetterError(url, f"took longer than the {timeout:g}-second limit")
                sock.settimeout(left)
                chunk = resp.read1(65536)
                if not chunk:
                    if time.monotonic() >= deadline:  # the watchdog shut the socket: not the body's end
                        raise LetterError(url, f"took longer than the {timeout:g}-second limit")
                    break
                got += len(chunk)
                if got > max_bytes:
                    raise LetterError(url, f"larger than the {max_bytes:,}-byte limit")
                chunks.append(chunk)
            if size is not None and got < size:
                raise LetterError(url, f"the download ended after {got:,} of its {size:,} bytes (Content-Length)")
            return b"".join(chunks)
        except (TimeoutError, OSError, http.client.HTTPException) as e:
            if time.monotonic() >= deadline:
                raise LetterError(url, f"took longer than the {timeout:g}-second limit") from None
            raise LetterError(url, f"cannot download ({e})") from None
        finally:
            if watchdog is not None:
                watchdog.cancel()
            conn.close()
    raise LetterError(url, f"more than {max_hops} redirects")


def _shut(sock) -> None:
    """End a download at its deadline: shut the socket, so a blocked read returns at once."""
    import socket

    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _safe_name(url: str, suffix: str) -> str:
    """A cache file name: the URL's sha256 prefix plus its last path segment reduced to [A-Za-z0-9._-]."""
    from urllib.parse import urlsplit

    tail = re.sub(r"[^A-Za-z0-9._-]+", "_", urlsplit(url).path.rsplit("/", 1)[-1])[:60].strip("._") or "file"
    return f"{hashlib.sha256(url.encode()).hexdigest()[:16]}_{tail}{'' if tail.endswith(suffix) else suffix}"


def pdf_links(page_html: str, base_url: str) -> list[str]:
    """Absolute URLs of the PDF/report-file links on an Ofsted provider page, in page order, deduplicated."""
    from urllib.parse import urljoin

    hrefs = re.findall(r'href=["\']([^"\']+)["\']', page_html)
    out = [
        urljoin(base_url, html.unescape(h))
        for h in hrefs
        if h.lower().endswith(".pdf") or "files.ofsted.gov.uk" in h or "/v1/file/" in h
    ]
    return list(dict.fromkeys(out))


def fetch(
    page_urls,
    cache_dir,
    *,
    allowed_hosts=ALLOWED_HOSTS,
    timeout: float = 30,
    max_bytes: int = MAX_BYTES,
    delay: float = 1.0,
    progress=None,
) -> pd.DataFrame:
    """Download each area page and the report PDFs it links to into ``cache_dir`` (pages/ and pdf/), one
    request at a time with ``delay`` seconds between requests, each download within ``timeout`` seconds in
    all (redirects checked hop by hop against ``allowed_hosts``); a file already cached (by URL hash) is not
    fetched again. Returns one row per URL: page_url, url, path, status (downloaded / cached / failed), error.
    A failure is recorded and the batch goes on."""
    import time

    cache = Path(cache_dir)
    (cache / "pages").mkdir(parents=True, exist_ok=True)
    (cache / "pdf").mkdir(parents=True, exist_ok=True)
    rows = []

    def get_cached(url, sub, suffix, check_pdf):
        target = cache / sub / _safe_name(url, suffix)
        if target.exists():
            return target, "cached"
        data = _get(url, allowed_hosts=allowed_hosts, timeout=timeout, max_bytes=max_bytes)
        if check_pdf and not data.startswith(b"%PDF"):
            raise LetterError(url, "response is not a PDF")
        atomic_bytes(target, data)
        if delay:
            time.sleep(delay)
        return target, "downloaded"

    for page in page_urls:
        try:
            path, status = get_cached(page, "pages", ".html", False)
            rows.append({"page_url": page, "url": page, "path": str(path), "status": status, "error": ""})
            for link in pdf_links(path.read_text(encoding="utf-8", errors="replace"), page):
                try:
                    p, st = get_cached(link, "pdf", ".pdf", True)
                    rows.append({"page_url": page, "url": link, "path": str(p), "status": st, "error": ""})
                except LetterError as e:
                    rows.append({"page_url": page, "url": link, "path": "", "status": "failed", "error": str(e)})
        except LetterError as e:
            rows.append({"page_url": page, "url": page, "path": "", "status": "failed", "error": str(e)})
        if progress:  # the page and whether everything from it came (downloaded or cached)
            progress(page, all(r["status"] != "failed" for r in rows if r["page_url"] == page))
    return pd.DataFrame(rows, columns=["page_url", "url", "path", "status", "error"])

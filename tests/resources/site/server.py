#!/usr/bin/python3
"""A fake APN checklist site for the fetch tests, on 127.0.0.1 only.

usage: server.py ROOT PORTFILE LOGFILE

Serves the files under ROOT the way the real S3 bucket does: quoted ETags,
Last-Modified, 304 on a matching If-None-Match, 403 AccessDenied (not 404) for
a missing key, workbooks as binary/octet-stream. "{{PORT}}" in a page becomes
the server's port. A few paths misbehave on purpose:
  /competency/gone/...       404
  /competency/flaky/...      500 on the first request, then the file
  /competency/slow/...       answers only after 1.5 s (the tests' --timeout is shorter)
  /competency/moved/consulting/COld.html   301 to CNew.html beside it
  /competency/away/consulting/CAway.html   302 to http://localhost:PORT/... (another host)
Hostile paths (tests/sh/hostile_fetch_*.sh):
  /competency/links-K/consulting/P<id>.html   a page of K links to new pages beside it
                                              (an endless site; K up to 1,000,000)
  /competency/plant/consulting/<name>.html    302 to the side file or other name of PLANT
  /aliases.csv, /categories.csv, ...          CSV that would rename or file a competency
  /competency/drip/consulting/CDrip.html      a page that trickles a byte every 0.2 s
It binds a free port, writes it to PORTFILE, appends one line per request to
LOGFILE ("GET <raw path> <status> inm=<If-None-Match> ua=<User-Agent>") and
exits by itself after 120 s in case the test that started it dies.
"""
import hashlib
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.realpath(sys.argv[1])
LOG = sys.argv[3]
LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"
seen = {}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def note(self, status):
        with lock, open(LOG, "a") as f:
            f.write("GET %s %d inm=%s ua=%s\n" % (self.path, status,
                    self.headers.get("If-None-Match", "-"), self.headers.get("User-Agent", "-")))

    def reply(self, status, body=b"", ctype="text/plain", headers=()):
        self.note(status)
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        port = self.server.server_address[1]
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        with lock:
            seen[path] = seen.get(path, 0) + 1
            count = seen[path]
        if path.startswith("/competency/gone/"):
            return self.reply(404, b"Not Found")
        if path.startswith("/competency/flaky/") and count == 1:
            return self.reply(500, b"Internal Error")
        if path.startswith("/competency/slow/"):
            time.sleep(1.5)
        if path == "/competency/moved/consulting/COld.html":
            return self.reply(301, b"", headers=[("Location", "CNew.html")])
        if path == "/competency/away/consulting/CAway.html":
            return self.reply(302, b"", headers=[(
                "Location", "http://localhost:%d/competency/offsite/consulting/COff.html" % port)])
        if self.hostile(path, port):
            return
        full = os.path.realpath(os.path.join(ROOT, path.lstrip("/")))
        if not full.startswith(ROOT + os.sep) or not os.path.isfile(full):
            return self.reply(403, b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                              b"AccessDenied</Code><Message>Access Denied</Message></Error>",
                              "application/xml")
        with open(full, "rb") as f:
            body = f.read()
        if full.endswith(".html"):
            body = body.replace(b"{{PORT}}", str(port).encode())
            ctype = "text/html; charset=utf-8"
        else:
            ctype = "binary/octet-stream"
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
        hdrs = [("ETag", etag), ("Last-Modified", LAST_MODIFIED)]
        if self.headers.get("If-None-Match") == etag:
            return self.reply(304, b"", ctype, hdrs)
        return self.reply(200, body, ctype, hdrs)

    def hostile(self, path, port):
        """The hostile paths; True when one answered."""
        parts = path.split("/")
        if len(parts) == 5 and parts[1] == "competency" and parts[2].startswith("links-"):
            k = min(int(parts[2][6:]), 1000000)
            stem = parts[4][:-5]
            body = "".join('<a href="%s-%d.html">p</a>\n' % (stem, i) for i in range(k))
            return self.reply(200, ("<html><body>%s</body></html>" % body).encode(),
                              "text/html") or True
        if path.startswith("/competency/plant/consulting/"):
            target = PLANT.get(parts[-1][:-5])
            if target:
                return self.reply(302, b"", headers=[("Location", target)]) or True
        if path in SIDE:
            return self.reply(200, SIDE[path], "text/csv") or True
        if path == "/competency/drip/consulting/CDrip.html":
            self.note(200)
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                for _ in range(600):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return True
        return False


# what a planted side file would do to a build: rename and refile a competency
SIDE = {
    "/aliases.csv": b"name,slug\nWidgets,gadgets\n",
    "/categories.csv": b"slug,category\nwidgets,Planted\n",
    "/manifest.csv": b"path,url\nplanted.html,http://planted/\n",
    "/competency/plant/consulting/aliases.csv": b"name,slug\nWidgets,gadgets\n",
}
PLANT = {
    "CAliases": "/aliases.csv",
    "CCategories": "/categories.csv",
    "CManifest": "/manifest.csv",
    "CDeepAliases": "aliases.csv",
    "CChangelog": "/changelog/notes.html",
}


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, sys.argv[2])
    threading.Timer(120, lambda: os._exit(0)).start()
    server.serve_forever()


if __name__ == "__main__":
    main()

"""The static server of the search benchmark: the built site over HTTP/1.1 with
keep-alive (Python's default, HTTP/1.0 with a connection per file, added tens of
milliseconds to every file and would have measured the server, not the search), one
thread per connection, and one log line per request (search_bench.py counts the files
each query fetched from it).

Usage: serve.py PORT FOLDER
"""
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body leave in two writes: with Nagle's algorithm the body waits
    # for the ACK of the headers, which the browser delays by 40 ms (a CDN sets TCP_NODELAY).
    disable_nagle_algorithm = True
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm", ".json": "application/json"}

    def log_message(self, format, *args):
        sys.stderr.write('"%s" %s\n' % (self.requestline, args[1] if len(args) > 1 else ""))
        sys.stderr.flush()


port, folder = int(sys.argv[1]), sys.argv[2]
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=folder))
server.daemon_threads = True
server.serve_forever()

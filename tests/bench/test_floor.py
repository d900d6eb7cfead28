import pytest
from django.urls import NoReverseMatch, reverse


def test_floor_view_exists_only_for_the_bench(client, settings):
    """The minimal view `make bench` compares pages with is routed by bench/urls.py (bench/settings.py)
    only: the site has no such page."""
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")
    assert client.get("/bench-floor/").status_code == 404
    assert client.get("/dashboard/bench-floor/").status_code == 404
    settings.ROOT_URLCONF = "bench.urls"
    assert client.get(reverse("bench_floor")).content == b"ok"


def test_the_clients_are_the_same_threads_from_turn_to_turn():
    """The bench's clients write before their requests on their own database connections: the same
    threads ask every turn, so a turn does not open connections that the page measured beside it pays for."""
    import http.server
    import threading

    from bench import run

    class Ok(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def asked(idents: set):
        while True:
            idents.add(threading.get_ident())
            yield "/"

    try:
        turns = [set(), set()]
        for idents in turns:
            answered, _taken = run._served(server.server_address[1], asked(idents), "", 0.2, 3)
            assert answered > 3
        assert len(turns[0]) == 3 and turns[1] == turns[0]
    finally:
        server.shutdown()

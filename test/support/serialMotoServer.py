"""moto's server, with every request handled one at a time.

moto_server handles requests on threads, and its DynamoDB backend takes no lock: two concurrent
conditional UpdateItems on one item can both pass their condition. Real DynamoDB serialises writes
to an item, and the state table's lease relies on it, so the tests run moto with its request
handling serialised (connections are still accepted on threads, so an idle keep-alive connection
blocks nobody).

It binds a port the kernel chooses and prints it as its first line on stdout, so no other process
can take the port between choosing and binding it.

Usage: python serialMotoServer.py HOST
"""

import signal
import sys
import threading

from werkzeug.serving import make_server
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)


def main() -> None:
    host = sys.argv[1]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def serial(environ, start_response):
        with lock:
            return list(app(environ, start_response))

    server = make_server(host, 0, serial, threaded=True, request_handler=MotoRequestHandler)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

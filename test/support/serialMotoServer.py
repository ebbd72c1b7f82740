"""moto's server, with every request handled one at a time, started alone or forked from a warm parent.

moto_server handles requests on threads, and its DynamoDB backend takes no lock: two concurrent
conditional UpdateItems on one item can both pass their condition. Real DynamoDB serialises writes
to an item, and the state table's lease relies on it, so the tests run moto with its request
handling serialised (connections are still accepted on threads, so an idle keep-alive connection
blocks nobody).

Two shortcuts make it cheaper, and change nothing a test observes: the backend a request's host
maps to is looked up once per host (moto scans its module list on every request), and the RSA key
moto's KMS generates for every new key (a DynamoDB table's default encryption creates one) is
generated once per key size and reused.

A server binds a port the kernel chooses and reports it, so no other process can take the port
between choosing and binding it.

Usage:
  python serialMotoServer.py HOST
      serves on HOST; prints the port as its first line on stdout.
  python serialMotoServer.py --fork-server SOCKET
      imports moto and builds the backends the tests use once (about 1.5 s of CPU), then listens on
      the Unix socket SOCKET. Each connection gets a forked server on 127.0.0.1, already warm, and
      the line "PID PORT"; the server stops on SIGTERM. The parent exits when its own parent does.
"""

import logging
import os
import random
import signal
import socket
import sys
import threading
import types

from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import make_server
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)

# The services the tests reach; the fork server builds their apps before it forks.
WARM_SERVICES = ["ssm", "dynamodb", "secretsmanager", "kms", "awslambda", "sts", "moto_api"]


class CachingDispatcher(DomainDispatcherApplication):
    """moto's dispatcher, with the host-to-backend lookup remembered per host."""

    def __init__(self, create_app):
        super().__init__(create_app)
        self.backend_by_host = {}

    def get_backend_for_host(self, host):
        if host not in self.backend_by_host:
            self.backend_by_host[host] = super().get_backend_for_host(host)
        return self.backend_by_host[host]


def reuse_kms_rsa_keys() -> None:
    """Makes moto's KMS generate one RSA key per key size and hand it to every key it creates."""
    import moto.kms.utils

    generated = {}

    def generate_private_key(public_exponent, key_size, backend=None):
        if (public_exponent, key_size) not in generated:
            generated[(public_exponent, key_size)] = rsa.generate_private_key(
                public_exponent=public_exponent, key_size=key_size
            )
        return generated[(public_exponent, key_size)]

    cached = types.ModuleType("rsa_with_reused_keys")
    cached.__dict__.update(rsa.__dict__)
    cached.generate_private_key = generate_private_key
    moto.kms.utils.rsa = cached


def serial_app(app):
    """The WSGI app that handles one request at a time."""
    lock = threading.Lock()

    def serial(environ, start_response):
        with lock:
            return list(app(environ, start_response))

    return serial


def bind(host: str, app):
    return make_server(host, 0, serial_app(app), threaded=True, request_handler=MotoRequestHandler)


def serve_alone(host: str) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    reuse_kms_rsa_keys()
    server = bind(host, CachingDispatcher(create_backend_app))
    print(server.server_port, flush=True)
    server.serve_forever()


def fork_server(path: str) -> None:
    # Its servers share its stderr, the test run's own: log their errors, not every request.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    reuse_kms_rsa_keys()
    app = CachingDispatcher(create_backend_app)
    for service in WARM_SERVICES:
        app.app_instances[service] = create_backend_app(service)
    # Forked servers are reaped by the kernel; the parent never waits for them.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    listener.settimeout(1.0)
    print("ready", flush=True)
    try:
        while os.getppid() == parent:
            try:
                connection, _ = listener.accept()
            except socket.timeout:
                continue
            if os.fork() == 0:
                listener.close()
                serve_forked(connection, app)
                os._exit(0)
            connection.close()
    finally:
        os.unlink(path)


def serve_forked(connection: socket.socket, app) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    os.setsid()
    # Each server draws its own identifiers: reseed what the fork copied.
    random.seed()
    from moto.moto_api._internal import mock_random

    mock_random.seed(int.from_bytes(os.urandom(8), "big"))
    server = bind("127.0.0.1", app)
    connection.sendall(f"{os.getpid()} {server.server_port}\n".encode())
    connection.close()
    server.serve_forever()


def main() -> None:
    if sys.argv[1] == "--fork-server":
        fork_server(sys.argv[2])
    else:
        serve_alone(sys.argv[1])


if __name__ == "__main__":
    main()

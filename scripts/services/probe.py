"""Health probes for scripts/services.sh: exit 0 when the service answers its own protocol, 1 otherwise.

Standard library only (runs on the system python3 before the moto venv exists); never changes state.
Usage: probe.py kafka HOST PORT | probe.py http URL [EXPECTED_STATUS] | probe.py tcp HOST PORT
"""
import socket
import struct
import sys
import urllib.error
import urllib.request

TIMEOUT_S = 2.0


def probe_tcp(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT_S):
            return True
    except OSError:
        return False


def read_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise OSError("connection closed")
        buf += chunk
    return buf


def probe_kafka(host: str, port: int) -> bool:
    """ApiVersions v0 (https://kafka.apache.org/protocol#The_Messages_ApiVersions): a broker answers it
    with error_code 0 only once its request handlers run, which a bare TCP connect does not show."""
    client_id = b"redrive-probe"
    correlation_id = 7
    body = struct.pack(">hhih", 18, 0, correlation_id, len(client_id)) + client_id
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT_S) as sock:
            sock.settimeout(TIMEOUT_S)
            sock.sendall(struct.pack(">i", len(body)) + body)
            (size,) = struct.unpack(">i", read_exact(sock, 4))
            payload = read_exact(sock, size)
            got_id, error_code = struct.unpack(">ih", payload[:6])
            return got_id == correlation_id and error_code == 0
    except (OSError, struct.error):
        return False


def probe_http(url: str, expected: int) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as resp:
            return resp.status == expected
    except urllib.error.HTTPError as err:
        return err.code == expected
    except (OSError, ValueError):
        return False


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "kafka":
        ok = probe_kafka(argv[1], int(argv[2]))
    elif len(argv) >= 3 and argv[0] == "tcp":
        ok = probe_tcp(argv[1], int(argv[2]))
    elif len(argv) >= 2 and argv[0] == "http":
        ok = probe_http(argv[1], int(argv[2]) if len(argv) >= 3 else 200)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

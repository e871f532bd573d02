"""Helpers shared by the integration tests (Debian's /usr/bin/python3)."""
import socket

_FAILURES = []


def check(cond, what):
    """Records a failed expectation (and prints it); returns cond."""
    if not cond:
        _FAILURES.append(what)
        print("FAIL:", what, flush=True)
    return cond


def failures():
    """The failed expectations so far."""
    return _FAILURES


def free_port():
    """A loopback port nobody listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

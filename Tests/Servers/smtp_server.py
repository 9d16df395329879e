#!/usr/bin/env python3
"""A real SMTP server for Dudao's tests (aiosmtpd), on 127.0.0.1 only.

Two listeners share one handler:
  * STARTTLS port: STARTTLS and AUTH (PLAIN/LOGIN) required;
  * SMTPS port: TLS from the first byte, AUTH required.
Recipients choose failure modes: a local part starting with "tempfail" gets 451, one
starting with "reject" gets 550. Every accepted message is stored byte for byte as
<dir>/<first recipient>.eml with its envelope in .json, so tests can parse it back with
Python's email package."""
import argparse, json, os, re, signal, socket, ssl, sys, time, threading, warnings

# The SMTPS listener is TLS from the first byte, so AUTH without STARTTLS is right there;
# aiosmtpd warns about it regardless. Keep the test output for real problems.
warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
warnings.filterwarnings("ignore", message="Session.login_data is deprecated")

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("tempfail"):
            return "451 4.3.0 Temporary failure, try again later"
        if local.startswith("reject"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        name = re.sub(r"[^A-Za-z0-9_.@-]", "_", envelope.rcpt_tos[0]) if envelope.rcpt_tos else f"msg{n}"
        base = os.path.join(self.outdir, name)
        copy = 1
        while os.path.exists(base + ".eml"):  # a repeat is kept, not overwritten: tests count duplicates
            copy += 1
            base = os.path.join(self.outdir, f"{name}.{copy}")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.replace(base + ".eml.tmp", base + ".eml")
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "tls": session.ssl is not None, "auth": session.authenticated,
                       "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None}, f)
        return "250 2.0.0 Message accepted"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--user", default="dudao")
    ap.add_argument("--password", required=True)
    ap.add_argument("--ready", required=True, help="file to write the chosen ports to")
    ap.add_argument("--port", type=int, default=0, help="STARTTLS port (default: a free one)")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)

    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.cert, a.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == a.user and auth_data.password.decode() == a.password
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself

    handler = Handler(a.dir)
    starttls_port, smtps_port = a.port or free_port(), free_port()
    starttls = Controller(handler, hostname="127.0.0.1", port=starttls_port, tls_context=ctx, require_starttls=True,
                          auth_required=True, auth_require_tls=True, authenticator=authenticator)
    client_ctx = ssl.create_default_context(cafile=a.cert)
    smtps = Controller(handler, hostname="127.0.0.1", port=smtps_port, ssl_context=ctx,
                       auth_required=True, auth_require_tls=False, authenticator=authenticator)
    starttls.start()
    try:
        smtps.start()
    except Exception:
        # aiosmtpd's readiness probe on an implicit-TLS port may not verify our cert; the
        # listener itself is up, which is all the tests need.
        pass
    with open(a.ready + ".tmp", "w") as f:
        json.dump({"starttls_port": starttls_port, "smtps_port": smtps_port, "pid": os.getpid()}, f)
    os.replace(a.ready + ".tmp", a.ready)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    starttls.stop()
    try:
        smtps.stop()
    except Exception:
        pass


if __name__ == "__main__":
    main()

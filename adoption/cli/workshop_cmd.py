"""`adoption workshop`: serve the workshop web app (compare plans live in a browser)."""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys

from adoption.cli.common import (
    add_scenario_arguments,
    non_negative_int,
    positive_int,
    scenario_from,
)
from adoption.errors import InputError

LOCAL = ("127.0.0.1", "localhost", "::1")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "workshop",
        help="serve a local web app to compare rollout plans live in a browser",
        description="Serve the workshop web app on HOST:PORT and print its address. "
        "Everything it loads comes from the installed package (it works offline). "
        "A host other than 127.0.0.1 needs the access token printed at start. "
        "Requests must name this server's address (Host) and state changes come from "
        "its own page (Origin and a per-tab token): see docs/workshop.md, security. "
        "Ctrl-C stops the server and every worker process.",
    )
    add_scenario_arguments(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=non_negative_int, default=8765, help="port (default 8765; 0: a free one)"
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        help="worker processes for all runs together (default: one per core)",
    )
    parser.add_argument(
        "--currency",
        type=currency_name,
        default=None,
        help="the money unit shown beside every amount (default: the scenario's "
        "economics.currency, USD unless it says otherwise)",
    )
    parser.set_defaults(handler=_workshop)


def currency_name(text: str) -> str:
    """A currency as the room reads it: 1 to 5 letters or symbols, no spaces."""
    kept = text.strip()
    if not 1 <= len(kept) <= 5 or any(c.isspace() or c.isdigit() for c in kept):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a currency (1 to 5 letters or symbols: EUR, £, US$)"
        )
    return kept


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(
            f"--host/--port: cannot listen on {host}:{port} ({exc.strerror})"
        ) from None
    sock.listen(128)
    return sock


def _workshop(args: argparse.Namespace) -> int:
    import uvicorn

    from adoption.workshop.app import Workshop, build_app

    scenario = scenario_from(args)
    if args.port > 65535:
        raise InputError(f"--port: {args.port} is not a port (0 to 65535)")
    token = None if args.host in LOCAL else secrets.token_urlsafe(16)
    workers = args.workers or os.cpu_count() or 1
    sock = _bind(args.host, args.port)
    port = sock.getsockname()[1]
    shown = f"[{args.host}]" if ":" in args.host else args.host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    print(f"adoption workshop: open {address}", flush=True)
    if token:
        print(f"adoption workshop: access token {token} (needed from other machines)", flush=True)
    print("adoption workshop: Ctrl-C stops it", file=sys.stderr, flush=True)
    app = build_app(
        Workshop(scenario, workers=workers, token=token, host=args.host, currency=args.currency)
    )
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=5)
    try:
        # uvicorn stops on Ctrl-C or SIGTERM: the app's shutdown cancels every run and
        # stops the workers; then it raises the signal again, so the exit code is 130
        # as for every interrupted command
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        print("adoption workshop: stopped, no worker left", file=sys.stderr, flush=True)
    return 0

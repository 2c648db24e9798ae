"""`crmtui call`: one raw API call in the vendor's own shape, the JSON answer on stdout."""

from __future__ import annotations

import argparse
import asyncio
import sys

from crmtui.cli.context import confirm_write, session_from_args
from crmtui.model.sanitize import body_inert
from crmtui.services import console
from crmtui.services.curl import to_curl
from crmtui.services.history import History
from crmtui.services.session import Session
from crmtui.services.write_policy import Decision, WritePath

EPILOG = """examples:
  crmtui call GET '/lead?per_page=5&page=1'          CMDataManager, LeadSquared (REST)
  crmtui call --host async POST /opportunity/capture --body '{...}'   LeadSquared async API
  crmtui call getLeads '{"where": {}, "limit": 5}'   SharpSpring (method and params JSON)
  crmtui call addupdatelead --form lead_email=a@example.com          InfluencerSoft
  crmtui call GET /lead --curl                       print a curl command instead of calling
Credentials are added for you; never type them."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `call` to the main parser's subparsers."""
    parser = sub.add_parser(
        "call",
        help="send one raw API call and print the JSON answer",
        description="Send one raw call in the vendor's own shape (credentials added for you) "
        "and print the answer's body, as pretty JSON when it is JSON.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("method", help="HTTP method (REST vendors) or method name (SharpSpring)")
    parser.add_argument(
        "target", nargs="?", default="", help="path with query (REST) or params JSON (SharpSpring)"
    )
    parser.add_argument("--body", help="JSON body (REST) or params (SharpSpring)")
    parser.add_argument(
        "--form", action="append", default=[], metavar="K=V", help="a form field (repeatable)"
    )
    parser.add_argument(
        "-H", "--header", action="append", default=[], metavar="'NAME: VALUE'", help="a header"
    )
    parser.add_argument("--host", default="default", help="the vendor's other host, e.g. async")
    parser.add_argument(
        "--curl", action="store_true", help="print the call as curl (secrets as $VARIABLES)"
    )
    parser.add_argument("--raw", action="store_true", help="print the body exactly as received")
    parser.add_argument("--yes", action="store_true", help="confirm a write without a prompt")
    parser.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    """Run `crmtui call`; exit 0 for a 1xx-3xx answer, 1 otherwise."""

    async def go() -> int:
        async with session_from_args(args) as session:
            return await run_call(session, args)

    return asyncio.run(go())


async def run_call(session: Session, args: argparse.Namespace) -> int:
    """Build the request, apply the profile's mode, send it (or print curl), print the answer."""
    request = console.build_request(
        session.profile.vendor,
        args.method,
        args.target,
        body=args.body,
        form=args.form,
        headers=args.header,
        host=args.host,
    )
    if args.curl:
        sys.stdout.write(await to_curl(session.profile, request, secrets=session.backend.secrets))
        return 0
    if console.verdict(session, request).decision is not Decision.PROCEED:  # reads always go
        summary = f"{console.describe_request(request)} on {session.profile.name}"
        confirm_write(session, args, WritePath.RAW, summary)
    response = await console.send(session, request, confirmed=True)
    try:
        History(session.profile.name, redactor=session.redactor).add(request, response)
    except OSError as exc:  # a read-only or full data dir: the call itself went through
        where = exc.filename or "the data dir"
        print(f"warning: the call was sent, but not added to the history ({where}: "
              f"{exc.strerror or exc})", file=sys.stderr)  # fmt: skip
    body = response.body if args.raw else console.pretty_body(response.body)
    text = body_inert(body)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if response.status >= 400:
        print(f"HTTP {response.status} ({response.elapsed:.2f} s)", file=sys.stderr)
        return 1
    return 0

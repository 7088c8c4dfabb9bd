"""Render deploy/nginx.conf.template the way the nginx image's envsubst does.

Only ``${CK_*}`` placeholders are replaced; nginx's own ``$variables`` pass through.
A placeholder without a value is an error, never an empty string.

    python deploy/render.py --listen 127.0.0.1:8080 \\
        --upstream 127.0.0.1:9001 --upstream 127.0.0.1:9002 \\
        --run-dir /tmp/ck-nginx -o /tmp/ck-nginx/nginx.conf
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
PLACEHOLDER = re.compile(r"\$\{(CK_[A-Z0-9_]+)\}")


class MissingValueError(KeyError):
    """The template names a ${CK_*} placeholder that was given no value."""


def upstream_directives(addresses: Sequence[str], fail_timeout: str = "5s") -> str:
    """``server`` lines for the upstream block, on one line (an env var holds it)."""
    return " ".join(
        f"server {address} max_fails=1 fail_timeout={fail_timeout};" for address in addresses
    )


def placeholders(template: str) -> set[str]:
    return set(PLACEHOLDER.findall(template))


def render(values: Mapping[str, str], template: str | None = None) -> str:
    text = TEMPLATE.read_text() if template is None else template
    missing = placeholders(text) - set(values)
    if missing:
        raise MissingValueError(", ".join(sorted(missing)))
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def loopback_values(
    listen: str, upstreams: Sequence[str], run_dir: Path, access_log: str = "off", path: str = ""
) -> dict[str, str]:
    return {
        "CK_PATH": path.rstrip("/"),
        "CK_LISTEN": listen,
        "CK_UPSTREAMS": upstream_directives(upstreams),
        "CK_RUN_DIR": str(run_dir),
        "CK_ERROR_LOG": str(run_dir / "error.log"),
        "CK_ACCESS_LOG": access_log,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True)
    parser.add_argument("--upstream", action="append", required=True)
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--access-log", default="off")
    parser.add_argument("--path", default="", help='path prefix, e.g. "/closeknit"')
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    values = loopback_values(args.listen, args.upstream, args.run_dir, args.access_log, args.path)
    text = render(values)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

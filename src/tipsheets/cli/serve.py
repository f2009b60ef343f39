"""``tipsheets serve``: build, then preview the handouts in a browser, rebuilt and reloaded on each save."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from tipsheets.cli.build import build_options, report_outcome, summary_line
from tipsheets.cli.common import (AsOfOption, Format, LocaleOption, OutOption, ProjectOption, app, console, err, fail,
                                  print_lines, shown)
from tipsheets.core.errors import printable

PortOption = Annotated[int, typer.Option("--port", min=0, max=65535,
                                         help="The port to serve on (0: any free port).")]
HostOption = Annotated[str, typer.Option(
    "--host", help="The address to serve on. Only this computer can reach the default; another address lets "
                   "others on the network see the handouts.")]
OpenOption = Annotated[bool, typer.Option("--open", help="Open the gallery in a web browser.")]


@app.command()
def serve(
    project: ProjectOption = Path("."),
    out: OutOption = None,
    as_of: AsOfOption = None,
    locale: LocaleOption = [],  # noqa: B006 - Typer reads the default
    port: PortOption = 8000,
    host: HostOption = "127.0.0.1",
    open_browser: OpenOption = False,
) -> None:
    """Build, then serve the handouts on this computer: the gallery, and a preview of each handout (its web
    page beside its PDF pages, with its errors and wording findings). Each save rebuilds what it affects, and
    every open page reloads itself."""
    import webbrowser

    from tipsheets.build.options import cores
    from tipsheets.serve.app import is_loopback
    from tipsheets.serve.server import ServeError, address_of, bind, serve as run_server, url_of
    from tipsheets.serve.session import Session
    from tipsheets.serve.watch import watched_paths

    options = build_options(project, out, [Format.pdf, Format.html], as_of, locale)
    if not watched_paths(project):
        fail(f"nothing to serve in {project}: no content/, templates/ or tipsheets.yaml")
    if not is_loopback(host):
        err.print(f"[yellow]warning:[/] serving on {host}: anyone who can reach this computer on port {port} "
                  "can see these handouts", highlight=False)
    try:
        sock = bind(host, port)
    except ServeError as exc:
        fail(str(exc))
    session = Session(options, jobs=cores())
    session.on_outcome = report_outcome

    def on_changes(changes: set[Path]) -> None:
        names = ", ".join(sorted(shown(p, project) for p in changes))
        console.print(f"[bold]changed[/] {escape(printable(names))}", highlight=False)

    def on_result(changes: set[Path], result: Any) -> None:
        print_lines(result.errors, "red")
        print_lines(result.warnings, "yellow")
        style = "red" if result.failed or result.errors else "green"
        console.print(f"[{style}]{'✗' if style == 'red' else '✓'}[/] {summary_line(result)}", highlight=False)

    def on_error(changes: set[Path], exc: BaseException) -> None:
        err.print(f"[red]✗[/] rebuild failed: {type(exc).__name__}: {exc}", highlight=False, markup=False)

    session.on_changes, session.on_result, session.on_error = on_changes, on_result, on_error
    try:
        session.build_now()
        url = url_of(*address_of(sock))
        console.print(f"serving {url} (Ctrl-C to stop)", highlight=False, markup=False)
        if open_browser:
            webbrowser.open(url)
        run_server(session, sock)
    except KeyboardInterrupt:
        pass
    finally:
        session.close()
        sock.close()
    console.print("stopped serving")

"""Failure never damages what is built: escapes, read-only and full disks, kills, one bad document."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from hostile_project import make_project, run_cli, sheet
from tipsheets.build import handout as build_module
from tipsheets import cli
from tipsheets.publish import output as publish
from tipsheets.project import load_project
from tipsheets.publish.output import OutputError, inside, write_atomic
from tipsheets.publish.record import RECORD_NAME

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``cli.main`` in this process (so faults can be injected); return exit code and stderr."""
    monkeypatch.setattr(sys, "argv", ["tipsheets", *args])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    code = caught.value.code
    return (code if isinstance(code, int) else (0 if code is None else 1)), capsys.readouterr().err


def _snapshot(out: Path, pattern: str = "*") -> dict[str, bytes]:
    """Every file of the output folder but the record of the last clean build, which a build drops as it starts."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob(pattern))
            if p.is_file() and p.name != RECORD_NAME}


def _temporaries(out: Path) -> list[Path]:
    return [p for p in out.rglob(".*.tmp")] if out.exists() else []


# --------------------------------------------------------------------------- writing only inside output/


@pytest.mark.parametrize("name", ["../../etc/x", "../x.pdf", "/etc/x", "tipsheets/../../x", "..", ".", ""])
def test_nothing_is_written_outside_the_output_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputError, match="outside the output folder"):
        inside(tmp_path / "output", name)


def test_a_linked_subfolder_of_output_cannot_lead_outside(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (out / "tipsheets").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OutputError, match="outside the output folder"):
        inside(out, "tipsheets/one.pdf")


@pytest.mark.parametrize("file_name", ["UPPER.yaml", "a b.yaml", "-dash.yaml", "x" * 81 + ".yaml"])
def test_ids_that_could_not_be_a_file_name_are_refused(tmp_path: Path, file_name: str) -> None:
    make_project(tmp_path, {})
    (tmp_path / "content" / "tipsheets" / file_name).write_text(sheet())
    [error] = load_project(tmp_path).errors
    assert error.field == "id" and "is not in the expected form" in error.message


def test_a_symlinked_output_subfolder_fails_the_build_cleanly(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / "output").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (project / "output" / "tipsheets").symlink_to(tmp_path / "elsewhere")
    result = run_cli("build", "--format", "html", cwd=project)
    assert result.returncode == 1
    assert "refused to write 'tipsheets/one.html': it is outside the output folder" in result.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []


# --------------------------------------------------------------------------- read-only and full disks


def test_an_output_path_that_is_a_file_gives_one_clear_line(tmp_path: Path) -> None:
    """Works as root too, where a read-only folder would not stop writes."""
    project = make_project(tmp_path)
    (project / "output").write_text("not a folder")
    result = run_cli("build", "--format", "html", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"cannot write to {project / 'output'}: it is a file, not a folder" in result.stderr
    assert (project / "output").read_text() == "not a folder"


@pytest.mark.skipif(IS_ROOT, reason="root can write into a read-only folder; the file-as-folder test covers this")
def test_a_read_only_output_folder_gives_one_clear_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "output" / "tipsheets").mkdir(parents=True)
    (project / "output" / "tipsheets").chmod(0o555)
    try:
        result = run_cli("build", "--format", "html", cwd=project)
    finally:
        (project / "output" / "tipsheets").chmod(0o755)
    assert result.returncode == 1
    assert "Permission denied" in result.stderr and "Traceback" not in result.stderr


def test_a_full_disk_keeps_the_old_files_and_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, {"one": sheet(), "two": sheet(title="Two")})
    out = project / "output"
    assert _main(monkeypatch, capsys, "build", "-p", str(project), "-f", "html")[0] == 0
    before = _snapshot(out)
    (project / "content/tipsheets/one.yaml").write_text(sheet(title="Changed"))
    (project / "content/tipsheets/two.yaml").write_text(sheet(title="Changed too"))

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(publish.os, "fsync", full)
    # in this process, where the patch is
    code, stderr = _main(monkeypatch, capsys, "build", "-p", str(project), "-f", "html", "-j", "1")
    assert code == 1
    assert "Traceback" not in stderr
    assert f"cannot write {(out / 'tipsheets/one.html').resolve()}: No space left on device" in stderr
    assert _snapshot(out) == before
    assert _temporaries(out) == []


def test_a_write_that_fails_half_way_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "x.pdf"
    write_atomic(target, b"old")
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle) -> None:  # noqa: ANN001
            self.handle = handle

        def __enter__(self):  # noqa: ANN204
            return self

        def __exit__(self, *exc) -> None:  # noqa: ANN002
            self.handle.close()

        def write(self, data: bytes) -> None:
            self.handle.write(data[:2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(publish.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, b"new contents")
    assert target.read_bytes() == b"old"
    assert _temporaries(tmp_path) == []


# --------------------------------------------------------------------------- crashes and kills


def test_a_crash_in_one_document_does_not_stop_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, {"a": sheet(), "b": sheet(), "c": sheet()})
    real = build_module.page_html

    def flaky(target, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if target.id == "b":
            raise ZeroDivisionError("a bug")
        return real(target, *args, **kwargs)

    monkeypatch.setattr(build_module, "page_html", flaky)
    # in this process, where the patch is
    code, stderr = _main(monkeypatch, capsys, "build", "-p", str(project), "-f", "html", "-j", "1")
    assert code == 3
    assert "tipsheets/b: internal error: ZeroDivisionError: a bug (please report)" in stderr
    assert "Traceback" not in stderr
    assert sorted(p.name for p in (project / "output/tipsheets").iterdir()) == ["a.html", "c.html"]


def test_bad_content_in_one_document_does_not_stop_the_others(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a": sheet(), "b": "title: [broken\n", "c": sheet()})
    result = run_cli("build", "-f", "html", cwd=project)
    assert result.returncode == 2
    assert sorted(p.name for p in (project / "output/tipsheets").iterdir()) == ["a.html", "c.html"]


def test_an_unexpected_error_outside_a_document_is_one_line_and_exit_3(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path)

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("catalog\nexploded")

    monkeypatch.setattr("tipsheets.project.load_catalog", broken)
    code, stderr = _main(monkeypatch, capsys, "validate", "-p", str(tmp_path))
    assert code == 3
    assert stderr == "internal error: RuntimeError: catalog exploded (please report)\n"


def test_a_killed_build_leaves_every_file_whole(tmp_path: Path) -> None:
    """SIGKILL part-way: each PDF is the old one or a complete new one; the next build sweeps temporaries."""
    sheets = {f"sheet-{n:02d}": sheet(title=f"Sheet {n}") for n in range(24)}
    project = make_project(tmp_path, sheets)
    out = project / "output"
    first = run_cli("build", "-f", "pdf", cwd=project)
    assert first.returncode == 0, first.stderr
    before = _snapshot(out, "*.pdf")
    for id in sheets:  # change every sheet so the next build rewrites every file
        (project / "content/tipsheets" / f"{id}.yaml").write_text(sheet(title=f"Changed {id}"))
    src = Path(__file__).resolve().parents[2] / "src"
    process = subprocess.Popen(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(src)!r}); from tipsheets.cli import main; main()",
         "build", "-f", "pdf"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # kill once at least one file has been replaced
            if any((out / name).read_bytes() != data for name, data in before.items() if (out / name).exists()):
                break
            if process.poll() is not None:
                break
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
    finally:
        process.communicate(timeout=60)
    after = _snapshot(out, "*.pdf")
    assert set(after) == set(before)  # temporaries (.NAME.pdf.*.tmp) are not PDFs; the next build sweeps them
    replaced = 0
    for name, old in before.items():
        data = after[name]
        if data != old:
            replaced += 1
        assert data.rstrip().endswith(b"%%EOF"), name
        with pikepdf.open(out / name) as pdf:
            assert len(pdf.pages) >= 1
    assert replaced >= 1
    again = run_cli("build", "-f", "pdf", cwd=project)
    assert again.returncode == 0, again.stderr
    assert _temporaries(out) == []


def test_a_build_sweeps_temporaries_left_by_a_kill(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    out = project / "output"
    (out / "tipsheets").mkdir(parents=True)
    (out / ".tipsheets-lock").write_text("deadbeef0001\n")  # a build that held the folder and never finished
    stale = out / "tipsheets" / ".one.pdf.deadbeef0001.abc123.tmp"
    stale.write_bytes(b"%PDF-1.7 half")
    keep = [out / "tipsheets" / "notes.tmp",                            # a user's
            out / "tipsheets" / ".two.pdf.cafef00d0002.xyz987.tmp",     # another build's
            out / "tipsheets" / ".three.pdf.abc123.tmp"]                # someone else's, in our old style
    for path in keep:
        path.write_text("not ours")
    assert run_cli("build", "-f", "html", cwd=project).returncode == 0
    assert not stale.exists()
    assert all(path.exists() for path in keep)

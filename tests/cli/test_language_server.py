"""The shipped content in a real editor's eyes: npm's yaml-language-server, driven over stdio with the
Language Server Protocol, reads each file's `# yaml-language-server: $schema=...` line and the schemas
`tipsheets schema` writes. Every shipped file gets no diagnostic; a wrong file gets one on its line.

scripts/test-setup.sh installs the server into tests/.node/ (the version pinned in its package.json).
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO

SERVER = REPO / "tests" / ".node" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
#: how long to wait for one answer from the server before the test fails (not a measure of speed)
ANSWER = 60



@pytest.fixture(autouse=True)
def _server_installed() -> None:
    """The README's test command installs the server: a missing one is a failed set-up, never a skipped test."""
    if not SERVER.is_file() or shutil.which("node") is None:
        pytest.fail("yaml-language-server is not installed: run scripts/test-setup.sh", pytrace=False)

SETTINGS = {"yaml": {"validate": True, "hover": True, "completion": True, "format": {"enable": False},
                     "schemaStore": {"enable": False}, "schemas": {}, "yamlVersion": "1.1",
                     "disableDefaultProperties": True}}


class Client:
    """A minimal LSP client: JSON-RPC messages framed by Content-Length headers on the server's stdio."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=root)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        wanted = self.next_id
        self.send({"id": wanted, "method": method, "params": params})
        while True:
            message = self.take()
            if message.get("id") == wanted and "method" not in message:
                assert "error" not in message, message
                return message.get("result")

    def take(self) -> dict[str, Any]:
        """The next message; answers the server's own requests and keeps diagnostics on the way."""
        message = self.messages.get(timeout=ANSWER)
        method = message.get("method")
        if method == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
        elif method == "workspace/configuration":
            items = message["params"]["items"]
            self.send({"id": message["id"], "result": [SETTINGS.get(i.get("section", ""), None) for i in items]})
        elif method is not None and "id" in message:  # registerCapability and the like
            self.send({"id": message["id"], "result": None})
        return message

    def diagnostics_for(self, uri: str) -> list[dict[str, Any]]:
        """The server's diagnostics for a file it has been given, once it has published them."""
        while uri not in self.diagnostics:
            self.take()
        # a symbol request after it: whatever the server had to say about the file has arrived
        self.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
        return self.diagnostics[uri]

    def open(self, path: Path) -> str:
        uri = path.resolve().as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text(encoding="utf-8")}})
        return uri

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=ANSWER)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def start(root: Path) -> Client:
    client = Client(root)
    client.request("initialize", {
        "processId": None, "rootUri": root.resolve().as_uri(),
        "workspaceFolders": [{"uri": root.resolve().as_uri(), "name": root.name}],
        "capabilities": {"textDocument": {"publishDiagnostics": {"relatedInformation": True}},
                         "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": True}}},
    })
    client.notify("initialized", {})
    client.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
    return client


@pytest.fixture(scope="module")
def client() -> Any:
    client = start(REPO)
    yield client
    client.close()


def shipped_files() -> list[Path]:
    return [REPO / "tipsheets.yaml", *sorted((REPO / "content").rglob("*.yaml"))]


def test_every_shipped_file_points_at_a_schema() -> None:
    files = shipped_files()
    assert len(files) > 20
    for path in files:
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema="), path


def test_the_shipped_content_has_no_diagnostics(client: Client) -> None:
    uris = [client.open(path) for path in shipped_files()]
    found = {uri: client.diagnostics_for(uri) for uri in uris}
    problems = {uri: [(d["range"]["start"]["line"] + 1, d["message"]) for d in diags]
                for uri, diags in found.items() if diags}
    assert problems == {}


def test_a_wrong_file_gets_its_diagnostic_on_the_right_line(client: Client, tmp_path: Path) -> None:
    """The same server, the same schemas: a misspelt field and a format that is not one of the choices."""
    program = REPO / "content" / "programs" / "kids-first-lincoln.yaml"
    lines = program.read_text(encoding="utf-8").splitlines()
    wrong = tmp_path / "content" / "programs" / "wrong.yaml"
    wrong.parent.mkdir(parents=True)
    (tmp_path / "schemas").symlink_to(REPO / "schemas")
    format_line = next(i for i, line in enumerate(lines) if line.startswith("format:"))
    lines[format_line] = "format: in-persn"
    lines.append("childcares: true")
    wrong.write_text("\n".join(lines) + "\n", encoding="utf-8")
    diagnostics = client.diagnostics_for(client.open(wrong))
    found = sorted((d["range"]["start"]["line"], d["message"]) for d in diagnostics)
    assert [line for line, _ in found] == [format_line, len(lines) - 1], found
    assert "in-person" in found[0][1]  # the choices, from the schema's enum
    assert "childcares" in found[1][1] and "not allowed" in found[1][1]

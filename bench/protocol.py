"""A session of the app over Streamlit's websocket protocol, without a browser: what the server
does for a reader whose browser is on the reader's own machine.

A session asks for a run of the script (a BackMsg `rerun_script`, with widget values as a
browser sends them) and reads the server's ForwardMsgs until that run has finished. The fragments
the page declares with `run_every` (their `auto_rerun` messages) can be followed the way the
browser follows them: a fragment rerun every interval.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

DONE = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}
ENDED = DONE | {ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR}


@dataclass
class ScriptRun:
    """What the server sent for one run of the script (or of a fragment)."""

    elements: list = field(default_factory=list)  # (element type, its proto), in order
    auto_reruns: dict = field(default_factory=dict)  # fragment id -> interval in seconds
    seconds: float = 0.0  # from the request to `script_finished`
    fragment_id: str = ""  # the fragment rerun, or "" for a run of the page

    def count(self, kind: str) -> int:
        return sum(k == kind for k, _ in self.elements)

    def widget(self, kind: str, label: str):
        """The first element of this type with this label (its proto has the widget's id)."""
        for k, proto in self.elements:
            if k == kind and proto.label == label:
                return proto
        raise LookupError(f"no {kind} labelled {label!r} in this run")


class ProtocolSession:
    """One session: `await s.run()` for the first page, `await s.run(states)` to set widgets."""

    def __init__(self, ws):
        self.ws = ws
        self.page_script_hash = ""
        self.pages: dict[str, str] = {}  # URL path of each page -> its script hash

    @classmethod
    @asynccontextmanager
    async def connect(cls, url: str):
        import websockets

        ws_url = url.replace("http", "ws", 1) + "/_stcore/stream"
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None) as ws:
            yield cls(ws)

    async def run(self, states: list[WidgetState] = (), fragment_id: str = "") -> ScriptRun:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.page_script_hash = self.page_script_hash
        rerun.widget_states.widgets.extend(states)
        if fragment_id:
            rerun.fragment_id = fragment_id
            rerun.is_auto_rerun = True
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        out = await self._read_run()
        out.seconds = time.perf_counter() - start
        out.fragment_id = fragment_id
        return out

    async def open(self, path: str) -> ScriptRun:
        """Switch to the page at this URL path (e.g. "bleu"), as a click in the sidebar does."""
        self.page_script_hash = self.pages[path]
        return await self.run()

    async def _read_run(self) -> ScriptRun:
        out = ScriptRun()
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_script_hash = msg.new_session.page_script_hash
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                self.page_script_hash = msg.navigation.page_script_hash
            elif kind == "auto_rerun":
                out.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                name = element.WhichOneof("type")
                out.elements.append((name, getattr(element, name)))
            elif kind == "script_finished" and msg.script_finished in ENDED:
                if msg.script_finished not in DONE:
                    raise RuntimeError("the app's script failed to compile")
                return out

    async def follow_fragments(self, auto_reruns: dict, until: asyncio.Event) -> list[ScriptRun]:
        """Rerun each fragment every its interval, as the browser does, until `until` is set."""
        due = {frag: time.monotonic() + every for frag, every in auto_reruns.items()}
        runs = []
        while not until.is_set() and due:
            frag = min(due, key=due.get)
            await _sleep_until(due[frag], until)
            if until.is_set():
                break
            runs.append(await self.run(fragment_id=frag))
            due[frag] = time.monotonic() + auto_reruns[frag]
        return runs


async def _sleep_until(when: float, until: asyncio.Event) -> None:
    with suppress(TimeoutError):
        await asyncio.wait_for(until.wait(), timeout=max(0.0, when - time.monotonic()))


def int_state(widget, value: int) -> WidgetState:
    return WidgetState(id=widget.id, int_value=value)


def trigger(widget) -> WidgetState:
    return WidgetState(id=widget.id, trigger_value=True)

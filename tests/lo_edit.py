"""Edit a deck in LibreOffice Impress itself, as an official would with its menus, and save it.

Run with the Python that has LibreOffice's UNO bridge (Debian's python3-uno: /usr/bin/python3),
not the project's: ``/usr/bin/python3 tests/lo_edit.py IN.pptx OUT.pptx EDIT...`` where each EDIT is

- ``move:K:M``      slide K moved to position M (Slide › Move, through the dispatcher);
- ``duplicate:K``   slide K duplicated (Slide › Duplicate Slide): the copy follows it;
- ``bold:K:TEXT``   TEXT made bold where it first stands on slide K;
- ``type:K:OLD:NEW`` OLD replaced by NEW in the first paragraph of slide K that holds it (typed over).

Slide numbers are 1-based, as the deck stands when the edit is made. The deck is saved as OUT
says: .pptx (LibreOffice's "Impress MS PowerPoint 2007 XML" filter) or .pdf (its PDF export); with no
EDIT, that is a plain re-save or conversion (``soffice --convert-to``).

With ``LO_PIPE`` set, the edit is made in the office already listening on that pipe (the test
process's own, started once: tests/conftest.py), which stays running; ``lo_edit.py --quit`` ends it.
Without, an office is started in the profile ``LO_PROFILE`` (or a new one) and ended after.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


FILTERS = {".pptx": "Impress MS PowerPoint 2007 XML", ".pdf": "impress_pdf_Export"}


def resolve(pipe, tries=480):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(tries):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.25)
    return None


def connect(profile):
    if os.environ.get("LO_PIPE"):  # the caller's office, running: used, and left running
        ctx = resolve(os.environ["LO_PIPE"])
        if ctx is None:
            raise SystemExit("LibreOffice is not listening on LO_PIPE")
        return None, ctx
    pipe = f"slidegen{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    ctx = resolve(pipe)
    if ctx is None:
        office.kill()
        raise SystemExit("LibreOffice did not start")
    return office, ctx


def shapes_of(page):
    for i in range(page.getCount()):
        shape = page.getByIndex(i)
        yield shape
        if shape.supportsService("com.sun.star.drawing.GroupShape"):
            yield from shapes_of(shape)


def main(source, target, edits):
    # the caller's profile (made once, quicker to start in) or a new one
    profile = os.environ.get("LO_PROFILE") or tempfile.mkdtemp(prefix="lo-profile-")
    office, ctx = connect(profile)
    doc = None
    try:
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, (prop("Hidden", False),))
        pages = doc.getDrawPages()
        controller = doc.getCurrentController()
        frame = controller.getFrame()
        for edit in edits:
            what, *args = edit.split(":", 3)
            if what == "move":
                k, m = int(args[0]), int(args[1])
                controller.setCurrentPage(pages.getByIndex(k - 1))
                at = k
                while at < m:
                    dispatcher.executeDispatch(frame, ".uno:MovePageDown", "", 0, ())
                    at += 1
                while at > m:
                    dispatcher.executeDispatch(frame, ".uno:MovePageUp", "", 0, ())
                    at -= 1
            elif what == "duplicate":
                controller.setCurrentPage(pages.getByIndex(int(args[0]) - 1))
                dispatcher.executeDispatch(frame, ".uno:DuplicatePage", "", 0, ())
            elif what in ("bold", "type"):
                page = pages.getByIndex(int(args[0]) - 1)
                text = args[1]
                for shape in shapes_of(page):
                    if not shape.supportsService("com.sun.star.drawing.Text"):
                        continue
                    body = shape.getText()
                    whole = body.getString()
                    at = whole.find(text)
                    if at < 0:
                        continue
                    cursor = body.createTextCursor()
                    cursor.gotoStart(False)
                    cursor.goRight(at, False)
                    cursor.goRight(len(text), True)
                    if what == "bold":
                        cursor.setPropertyValue("CharWeight", 150.0)
                    else:
                        cursor.setString(args[2])
                    break
                else:
                    raise SystemExit(f"{text!r} is not on slide {args[0]}")
            else:
                raise SystemExit(f"unknown edit {edit!r}")
        doc.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(target)),
            (prop("FilterName", FILTERS[os.path.splitext(target)[1].lower()]),),
        )
        doc.close(True)
        doc = None
    finally:
        if doc is not None:  # an edit failed: the document is not left open in an office that stays
            try:
                doc.close(True)
            except Exception:
                pass
        if office is not None:  # (the caller's office stays running)
            try:
                desktop.terminate()
            except Exception:
                pass
            try:
                office.wait(timeout=30)
            except subprocess.TimeoutExpired:
                office.kill()


def quit_office():
    """End the office listening on LO_PIPE, if one is."""
    ctx = resolve(os.environ["LO_PIPE"], tries=1)
    if ctx is not None:
        try:
            ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx).terminate()
        except Exception:
            pass  # the bridge goes down with the office


if __name__ == "__main__":
    if sys.argv[1:] == ["--quit"]:
        quit_office()
    else:
        main(sys.argv[1], sys.argv[2], sys.argv[3:])
    if os.environ.get("LO_PIPE"):
        # the bridge to an office that stays running is still up: Python's own shutdown of it can
        # crash (a segmentation fault after the work is done), so this process ends here
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

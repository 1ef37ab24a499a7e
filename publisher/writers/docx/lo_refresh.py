"""Refresh a DOCX's fields and TOC with LibreOffice and save it as DOCX (run by path with
the Python that has `uno`; standard library + uno only).

    /usr/bin/python3 lo_refresh.py IN.docx OUT.docx

Starts a private headless soffice (own profile, own pipe, as `lo_pages.py`), loads IN
hidden, updates its fields (SEQ, STYLEREF, PAGEREF…) and indexes (the TOC), and stores
the result at OUT in Word 2007–365 format. Prints JSON: the page count.
"""

import json
import os
import sys

from lo_pages import (  # the same directory: this script is run by path
    _prop,
    right_hand_openings,
    with_soffice,
)


def refresh(ctx, source, target):
    import uno

    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, (_prop("Hidden", True),)
    )
    try:
        right_hand_openings(doc)  # the page after an opening keeps its running head
        doc.getTextFields().refresh()
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.refresh()
        # Page references follow the updated layout.
        doc.getTextFields().refresh()
        view = doc.getCurrentController().getViewCursor()
        view.jumpToLastPage()
        pages = view.getPage()
        doc.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(target)),
            (_prop("FilterName", "MS Word 2007 XML"),),
        )
        return {"page_count": pages}
    finally:
        doc.close(True)


def main(argv):
    source, target = argv[1], argv[2]
    json.dump(with_soffice(lambda ctx: refresh(ctx, source, target)), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

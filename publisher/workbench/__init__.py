"""The editors' workbench, `publisher serve`: the book, each case in the book's look with
its findings, its printed pages, an editor, import and absorb by drag and drop, and
reordering, in the browser; live as files change. A thin web shell over `publisher.api`."""

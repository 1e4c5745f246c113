"""The presentation layer: the staff site's shell (log-in, home, errors, the server) and the pages
that compose several domains — the case page (:mod:`gongkai.web.case_page`) and a unit's
dashboard (:mod:`gongkai.web.dashboard`).

Packages depend in one direction only (DESIGN.md §2; ``tests/test_layering.py`` holds the table
and enforces it)::

    core ← agencies ← applications ← {letters, remedies} ← {registers, reports, portal, api, demo}
         ← web ← {site, cli}

``web`` may import every domain and none may import ``web``. A page of one domain stays in that
domain's ``views``; a page that shows several domains lives here. The view helpers every page
shares (``staff_view``, paging, today's date) are in :mod:`gongkai.agencies.pages`, the lowest
layer with Django, so any app may use them.
"""

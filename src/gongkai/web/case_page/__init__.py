"""The case page, in the presentation layer because it composes several domains.

One application's page shows its history and workflow steps (applications), its letters
(letters), its reconsiderations and lawsuits (remedies) and its files (attachments). A page that
composes several domains belongs above all of them (DESIGN.md §2, layering rules): ``views``
renders the page and takes the workflow steps, ``panels`` builds the other domains' panels, and
``letters``, ``remedies`` and ``attachments`` are the views of those panels' forms, which show
the page again with the refused form. ``urls`` routes them under the URL names the domains
have always had (``applications:case``, ``letters:send``, ``remedies:register``…).
"""

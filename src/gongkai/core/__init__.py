"""The pure core of gongkai: no Django, usable as a library, from the CLI and by the apps.

- ``law``: statutory facts (periods, articles, receipt rules, the fee schedule), the only
  place a legal number is written;
- ``formats``: the 2019 trial and 2021 annual-report formats, declared as data;
- ``model``: the typed, frozen ``AnnualReport``; ``findings``: what every check reports;
- ``rules``: the consistency rules (勾稽关系); ``narrative``: the prose against the tables;
- ``calendar`` and ``clock``: working days and the case clock; ``fees``: 信息处理费;
- ``inputs``, ``parse`` and ``audit``: published reports (text, HTML, DOCX, PDF, OFD) in,
  findings out;
- ``render``: tables, audit pages and workbooks.

A layering test keeps this package free of Django and of the apps.
"""

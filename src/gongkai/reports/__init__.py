"""The annual report built from the office's own data (issue 11 §2–3, DESIGN.md "Annual report
from data"): :mod:`gongkai.reports.builder` computes it, :mod:`gongkai.reports.checks` runs the
core rules on it."""

"""The evaluator's workspace: batches of published annual reports, audited by the core.

A supervising office (or the evaluators it commissions) uploads the reports of the units it
evaluates, reads each one's findings beside its tables, confirms or dismisses them, sees which
units published nothing for a year and exports everything to Excel. The audit itself is the
core's pure :func:`gongkai.core.audit.audit_document`, the same as ``gongkai audit`` runs.
"""

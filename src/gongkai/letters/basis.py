"""The legal basis of each result, now in :mod:`gongkai.core.results` (legal data is core data).

Kept as a re-export only so that modules still importing from here keep working until they
point at the core; new code imports :mod:`gongkai.core.results`.
"""

from __future__ import annotations

from gongkai.core.results import RESULT_BASIS, Basis, basis_for, default_legal_basis

__all__ = ["RESULT_BASIS", "Basis", "basis_for", "default_legal_basis"]

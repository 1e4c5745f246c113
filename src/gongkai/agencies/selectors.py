"""Reading the unit hierarchy: "a unit and every unit below it", written once.

A unit's ``path`` lists its ancestors' ids (``"/1/4/9/"``, see :mod:`gongkai.agencies.models`),
so the subtree of a unit is every unit whose path starts with its own. The gatekeeper's
:data:`~gongkai.agencies.gatekeeper.Scope.SUBTREE`, a supervising office's dashboard and the
roll-up of table 三/四 all read it from here, in SQL (:func:`subtree_q`) or in Python
(:func:`within`).
"""

from __future__ import annotations

from django.db.models import Q

from gongkai.agencies.models import Unit


def subtree_q(unit: Unit, *, via: str = "") -> Q:
    """``unit`` and every unit below it, as a filter on units or, through ``via`` (an ORM path
    such as ``"unit"`` or ``"application__unit"``), on the records that belong to them."""
    return Q(**{f"{via}__path__startswith" if via else "path__startswith": unit.path})


def within(unit: Unit, ancestor: Unit) -> bool:
    """Whether ``unit`` is ``ancestor`` or lies below it."""
    return unit.path.startswith(ancestor.path)

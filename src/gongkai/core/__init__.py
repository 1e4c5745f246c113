"""The pure core of gongkai: no Django, usable as a library, from the CLI and by the apps.

Modules: ``law`` (statutory facts), ``formats`` (the report formats as data), ``model`` (the
typed annual report), ``rules`` (consistency rules), ``calendar`` (working days), ``clock``
(the case clock), ``fees`` (信息处理费).
"""

"""The online application (Art 29 by data message) and following the case, for the public."""

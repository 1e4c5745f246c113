"""The calendar store: each year's official holiday schedule as entered by an administrator.

The core calendar (:mod:`gongkai.core.calendar`) reads entered years through the store this app
registers at start-up (:class:`~gongkai.calendars.store.DatabaseScheduleStore`); every version
of every year is kept, and the newest is in force.
"""

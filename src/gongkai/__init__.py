"""gongkai (公开): software for China's government information disclosure work."""

__version__ = "0.1.0"

"""gongkai (公开): government information disclosure platform."""

__version__ = "0.1.0"

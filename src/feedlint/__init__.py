"""feedlint: lint Python packaging configuration for private-feed risks."""

__version__ = "0.1.0"

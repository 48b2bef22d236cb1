"""ipcompare: a tidy, sourced dataset of Chinese cities' IP-plan targets, and tools to compare them."""

__version__ = "0.1.0"

"""Helpers no domain app owns, used by several of them.

What belongs here knows nothing of audits, recommendations or responses: dates of
uncertain precision and their form field, the companion field that marks a value as an
inference, the version differ behind every change history. Code that knows a domain
model lives in that model's app (``recommendations/``, ``responses/``, ...), even when
another app calls it.
"""

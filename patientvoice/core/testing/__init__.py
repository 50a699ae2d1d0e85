"""Test support shared by every app: importable from any app's tests, never from
production code.

* :mod:`.visibility`: one-line "this person cannot see this object anywhere" assertions
  over a registry of surfaces (pages, lists, API, later feeds and search).
* :mod:`.querysets`: finds querysets of private content that skip the visibility rule.
"""

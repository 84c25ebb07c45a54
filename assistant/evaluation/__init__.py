"""Scripted Q&A regression testing: suites, checks, runs, reports.

``report-assistant eval SUITE...`` loads suites (``suite``), asks every question through
the answer engine (``runner``), checks each answer (``checks``), and reports (``render``,
``results``, ``junit``); ``session.evaluate`` ties the steps together.
"""

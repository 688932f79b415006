"""Sync: how a diagram (the plan) and a live schema (reality) compare, table by table.

`compare` matches tables by name and lists their differences; `status` turns a
comparison into table statuses and counts them, and says what each status suggests.
Everything here is pure: the live schema arrives as model objects.
"""

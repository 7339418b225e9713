"""Conda environments as files say they are: discovery, conda records, pip distributions, the cached inventory and the
service the routes call.
"""

"""This machine's NVIDIA driver and GPUs as facts, and the probe that asks an environment's own Python what its
frameworks see.
"""

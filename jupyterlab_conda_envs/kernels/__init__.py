"""Kernels for environments: the kernelspec manager, nb_conda_kernels-style names, the specs an environment gives, and
the project environment of a notebook.
"""

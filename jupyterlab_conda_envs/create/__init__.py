"""Creating (and updating) environments from an environment.yml: validation before any process, the conda CLIs, the
built-in py-rattler backend.
"""

"""An environment written out: export modes, the specs in conda-meta/history, environment files read back, snapshots
beside notebooks.
"""

"""Long-running changes as jobs: one at a time, one per prefix, progress, an offset log and cancel."""

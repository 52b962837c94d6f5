"""The bare Django baseline of the ratio benchmark: one view, no middleware, no apps."""

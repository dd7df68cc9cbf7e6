"""Department deliveries in the contract's formats, one module per department.

Each module exposes ``deliver(world, out_dir, truth)``: it writes the
department's files under ``out_dir/<slug>/`` and records every delivered
batch and the persons its rows mention in the `Truth`.
"""

"""The demo city: a deterministic synthetic city delivering department data.

Plain Python, never imports Dagster. Entry point: `simulator.generate.simulate`;
the civil-affairs API: `simulator.server.serve_civil_affairs`.
"""

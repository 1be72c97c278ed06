"""Built-in seed steps; importing this package registers them (see xinbao.demo.registry)."""

from xinbao.demo.seeds import orgs, people  # noqa: F401

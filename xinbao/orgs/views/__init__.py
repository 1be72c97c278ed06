"""Pages of the organisation model: the unit tree and unit pages (units.py), the informant registry
(informants.py). Thin views: reads through selectors, writes through services."""

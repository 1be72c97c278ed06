"""Demo data for scoring: the shipped default rules at 安平县委办, a city variant at 江州市委办 (highest publication
only, forwarded items ×2 at province and ×5 at 国办, a monthly base score) and both offices' ledgers for this year
and last, built from the adoptions the reports step made."""

from __future__ import annotations

import random

from xinbao.accounts.models import Role, User
from xinbao.demo.registry import SeedContext, register
from xinbao.scoring.rules import default_rules
from xinbao.scoring.services import ledger_rebuild, ruleset_ensure, ruleset_save


@register(190, "scoring")
def seed_scoring(rng: random.Random, context: SeedContext) -> None:
    county_office = context.anchors.get("county_office")
    city_office = context.anchors.get("city_office")
    year = context.today.year
    entries = 0
    for office in (o for o in (county_office, city_office) if o is not None):
        ruleset_ensure(office=office, year=year)
        if office is city_office:
            editor = (
                User.objects.filter(unit=office, role_assignments__role=Role.EDITOR, is_active=True)
                .order_by("username")
                .first()
            )
            if editor is not None:
                rules = default_rules()
                rules["adoption"]["several"] = "highest"
                rules["adoption"]["forwarded_multiplier"].update(province=2, central_gov=5)
                rules["quota"]["monthly_base"] = 2
                ruleset_save(
                    actor=editor,
                    office=office,
                    year=year,
                    rules=rules,
                    note="按市委办《信息工作考核办法》：多刊采用只计最高，转报省级×2、国办×5，月度达标基础分2分",
                    base_version=1,
                )
        for y in (year - 1, year):
            entries += ledger_rebuild(actor=None, office=office, year=y).entry_count
    context.count("scoring_entries", entries)

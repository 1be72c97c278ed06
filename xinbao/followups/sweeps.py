from xinbao.common.sweeps import register
from xinbao.followups.services.reminders import followups_sweep


@register("followups", every_seconds=600)
def sweep() -> str:
    return f"reminded={followups_sweep()}"

from xinbao.common.sweeps import register
from xinbao.emergencies.services.deadlines import deadlines_sweep


@register("emergencies", every_seconds=60)
def sweep() -> str:
    result = deadlines_sweep()
    return f"alerted={result['alerted']} escalated={result['escalated']}"

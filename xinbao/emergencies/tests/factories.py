"""People and incidents for emergency tests, on the shared ``world`` tree.

alice: 安平县委办 duty officer (may take calls, sees the county's incidents);
bob: 安平县委办 leader (same office, another role: sees, may not take calls);
charlie: 石桥县委办 duty officer (another county: must be refused, 404 on reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from xinbao.accounts.models import Role, User
from xinbao.accounts.tests.factories import make_user
from xinbao.emergencies.models import Incident
from xinbao.emergencies.services import Casualties, PhoneCall, incident_register
from xinbao.orgs.tests.factories import World

SUMMARY = "11月26日14时许，城关镇南街一居民楼发生火灾，消防救援队伍已到场处置，现场有人员被困，原因正在调查。"
BODY = (
    "11月26日14时10分，安平县城关镇南街23号一居民楼三层发生火灾。镇党委、政府主要负责同志已赶赴现场，"
    "县消防救援大队出动3车15人处置，14时50分明火被扑灭。目前1人受伤送医，无人员死亡，起火原因正在调查。"
)


@dataclass
class Cast:
    alice: User  # county party office duty officer
    bob: User  # county party office leader
    charlie: User  # other county duty officer
    editor: User  # county party office editor (信息科)
    informant: User  # 城关镇 informant
    signer: User  # 城关镇 signer
    city_duty: User  # 市委办 duty officer
    gov_editor: User  # 县政府办 editor


def make_cast(world: World) -> Cast:
    return Cast(
        alice=make_user(world.county_party_office, Role.DUTY_OFFICER, username="alice", full_name="林晓燕"),
        bob=make_user(world.county_party_office, Role.LEADER, username="bob", full_name="郑国强"),
        charlie=make_user(
            world.other_party_office, Role.DUTY_OFFICER, username="charlie", full_name="吴海涛"
        ),
        editor=make_user(world.county_party_office, Role.EDITOR, username="xbj", full_name="张天宇"),
        informant=make_user(world.township, Role.INFORMANT, username="xxy", full_name="朱建国"),
        signer=make_user(world.township, Role.SIGNER, username="sqr", full_name="何海波"),
        city_duty=make_user(world.city_party_office, Role.DUTY_OFFICER, username="szb", full_name="许文静"),
        gov_editor=make_user(world.county_gov_office, Role.EDITOR, username="zbj", full_name="王丽"),
    )


def call(at: datetime | None = None) -> PhoneCall:
    return PhoneCall(
        received_at=at or timezone.now(),
        caller="何海波",
        caller_phone="0731-5521234",
        summary="城关镇南街居民楼起火，有人被困，已报119。",
    )


def register(
    cast: Cast,
    world: World,
    *,
    grade: str = "large",
    occurred_ago: int = 10,
    learned_ago: int = 5,
    by_phone: bool = True,
    **kwargs,
) -> Incident:
    now = timezone.now()
    return incident_register(
        actor=cast.alice if by_phone else cast.informant,
        unit=world.township,
        title=kwargs.pop("title", "城关镇南街居民楼火灾"),
        category=kwargs.pop("category", "accident"),
        grade=grade,
        occurred_at=kwargs.pop("occurred_at", now - timedelta(minutes=occurred_ago)),
        learned_at=kwargs.pop("learned_at", now - timedelta(minutes=learned_ago)),
        place="安平县城关镇南街23号",
        summary=SUMMARY,
        casualties=Casualties(injured=1, trapped=2),
        phone=call(kwargs.pop("phone_at", None)) if by_phone else None,
        **kwargs,
    )

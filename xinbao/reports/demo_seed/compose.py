"""Putting an item's title and body together from the topic sentences, the unit's real names and drawn figures."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date

from xinbao.reports.demo_seed import events, titles
from xinbao.reports.demo_seed.topics import TOPICS, Topic
from xinbao.reports.models import TITLE_MAX, ReportType

NUMBER = re.compile(r"\{(\d+)-(\d+)\}")
ORDINALS = "一二三四五六"

TITLE_POOLS = {
    ReportType.DYNAMIC: titles.DYNAMIC,
    ReportType.EXPERIENCE: titles.EXPERIENCE,
    ReportType.PROBLEM: titles.PROBLEM,
    ReportType.SUGGESTION: titles.SUGGESTION,
    ReportType.PUBLIC_OPINION: titles.PUBLIC_OPINION,
    ReportType.ANALYSIS: titles.ANALYSIS,
}

PLATFORMS = ["抖音", "微博", "今日头条", "本地论坛", "快手", "微信朋友圈", "小红书", "人民网“领导留言板”"]
NICKS = [
    "山城小李",
    "清风徐来",
    "向阳花开",
    "老街坊",
    "一只小蜗牛",
    "追梦人",
    "江边的风",
    "平凡之路",
    "晨曦微光",
]


@dataclass(frozen=True)
class Place:
    unit: str  # how the unit is named in a title or body: 白沙镇, 安平县教育局
    county: str  # 安平县
    loc: str  # a township of the county, where an incident happened


@dataclass(frozen=True)
class Text:
    title: str
    body: str
    topic: str


def fill(rng: random.Random, pattern: str, place: Place, **extra: str) -> str:
    text = NUMBER.sub(lambda m: str(rng.randint(int(m.group(1)), int(m.group(2)))), pattern)
    return text.format(u=place.unit, c=place.county, loc=place.loc, **extra)


def cn_date(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _work(name: str) -> str:
    """ "信访" → "信访工作", but "信访工作" stays as it is (no "工作工作")."""
    return name if name.endswith("工作") else f"{name}工作"


def _listed(items: list[str], sep: str = "；") -> str:
    return sep.join(f"{ORDINALS[i]}是{s}" for i, s in enumerate(items))


def _pick(rng: random.Random, pool: tuple[str, ...], k: int) -> list[str]:
    return rng.sample(list(pool), min(k, len(pool)))


def _title(rng: random.Random, pattern: str, place: Place) -> str:
    title = fill(rng, pattern, place, brand=rng.choice(titles.BRANDS))
    if len(title) > TITLE_MAX:  # a long department name: fall back to the county's name
        title = fill(rng, pattern, Place(place.county, place.county, place.loc), brand="")
    return title[:TITLE_MAX]


def topic_text(
    rng: random.Random, report_type: str, topic_key: str, pattern: str, place: Place, day: date
) -> Text:
    t: Topic = TOPICS[topic_key]
    f = lambda s: fill(rng, s, place)  # noqa: E731
    when = rng.choice([cn_date(day), "近日", "近期", f"{day.month}月以来"])
    measures = [f(m) for m in _pick(rng, t.measures, 3)]
    results = [f(r) for r in _pick(rng, t.results, 2)]
    problems = [f(p) for p in _pick(rng, t.problems, 3)]
    suggestions = [f(s) for s in _pick(rng, t.suggestions, 3)]
    u = place.unit
    if report_type == ReportType.DYNAMIC:
        body = (
            f"{when}，{u}围绕{_work(t.name)}，强化组织领导，细化工作措施，推动各项任务落地见效。"
            f"{_listed(measures)}。\n通过上述措施，{results[0]}，{results[1]}。"
        )
    elif report_type == ReportType.EXPERIENCE:
        brand = rng.choice(titles.BRANDS)
        body = (
            f"今年以来，{u}坚持问题导向和目标导向，在{_work(t.name)}中探索推行{brand}，取得了明显成效。\n"
            + "\n".join(f"{ORDINALS[i]}是{m}。" for i, m in enumerate(measures))
            + f"\n截至{cn_date(day)}，{results[0]}，{results[1]}。"
        )
    elif report_type == ReportType.PROBLEM:
        body = (
            f"{when}，{u}在{_work(t.name)}中了解到，{problems[0]}，需引起重视。\n"
            f"主要表现在：{_listed(problems[1:])}。如不及时加以解决，可能影响群众切身利益和社会稳定。\n"
            f"建议{suggestions[0]}，同时{suggestions[1]}。"
        )
    elif report_type == ReportType.SUGGESTION:
        body = f"{u}在调研{_work(t.name)}时发现，{problems[0]}，{problems[1]}。为此建议：{_listed(suggestions)}。"
    elif report_type == ReportType.PUBLIC_OPINION:
        homes, views = rng.randint(60, 400), rng.randint(15, 80)
        body = (
            f"{when}，{u}组织干部走访群众{homes}户，收集到群众关于{t.name}的意见建议{views}条。"
            f"群众对{_work(t.name)}总体满意，认为{results[0]}，成效看得见。同时，群众反映较多的问题有：{_listed(problems[:2])}。\n"
            f"群众希望{suggestions[0]}，{suggestions[1]}。"
        )
    else:  # ANALYSIS
        body = (
            f"今年以来，{u}{_work(t.name)}总体平稳有序，{results[0]}，{results[1]}。\n"
            f"从调研情况看，主要做法有：{_listed(measures[:2])}。\n"
            f"同时也存在一些不容忽视的问题：{_listed(problems[:2])}。\n"
            f"下一步，建议{suggestions[0]}，{suggestions[1]}，{suggestions[2]}。"
        )
    return Text(_title(rng, pattern, place), body, topic_key)


def online_opinion_text(rng: random.Random, case: tuple[str, ...], place: Place, day: date) -> Text:
    title, event, focus, fact, outcome = (fill(rng, s, place) for s in case)
    hour, later = rng.randint(8, 21), rng.randint(8, 20)
    body = (
        f"{cn_date(day)}{hour}时许，网民“{rng.choice(NICKS)}”在{rng.choice(PLATFORMS)}发布帖文，称{event}。"
        f"截至{day.month}月{day.day}日{later}时，该帖文阅读量{rng.randint(1, 40)}万次，"
        f"评论{rng.randint(80, 1500)}条，网民关注点主要集中在{focus}。\n"
        f"{place.unit}发现后第一时间组织核查。经查，{fact}。目前，{outcome}，相关舆情已趋于平稳。"
        f"{place.unit}将持续关注舆情动态，做好回应引导工作。"
    )
    return Text(title[:TITLE_MAX], body, "online")


def emergency_text(rng: random.Random, case: tuple[str, ...], place: Place, day: date) -> Text:
    title, event, losses, response, status = (fill(rng, s, place) for s in case)
    hour, minute = rng.randint(0, 23), rng.randint(0, 59)
    # A township's own leaders go to the scene; a department's item tells what the county did.
    word = place.county[-1:]  # 县 or 区: "安平县委、县政府"
    responder = place.unit if place.unit == place.loc else f"{place.county}委、{word}政府"
    body = (
        f"{cn_date(day)}{hour}时{minute:02d}分，{place.county}{place.loc}{event}。"
        f"接报后，{responder}主要负责同志第一时间带领相关人员赶赴现场，{response}。{losses}。\n"
        f"目前，{status}。事件原因正在进一步调查中，后续情况将及时续报。"
        f"{responder}已部署在全域开展安全隐患排查，举一反三，严防类似事件发生。"
    )
    return Text(f"{place.county}{title}"[:TITLE_MAX], body, "emergency")


def compose(rng: random.Random, report_type: str, place: Place, day: date, topics: tuple[str, ...]) -> Text:
    if report_type == ReportType.ONLINE_OPINION:
        return online_opinion_text(rng, rng.choice(events.ONLINE_OPINION), place, day)
    if report_type == ReportType.EMERGENCY:
        return emergency_text(rng, rng.choice(events.EMERGENCY), place, day)
    pool = TITLE_POOLS[ReportType(report_type)]
    fitting = [p for p in pool if p[0] in topics] or pool
    topic_key, pattern = rng.choice(fitting)
    return topic_text(rng, report_type, topic_key, pattern, place, day)


def combined_text(rng: random.Random, topic_key: str, county: str, sources: list[tuple[str, str]]) -> Text:
    """A 综合 item: one paragraph per source unit, each led by what that unit did (its first sentence)."""
    pattern = titles.COMBINED.get(topic_key, "{c}扎实推进各项重点工作")
    topic = TOPICS.get(topic_key)
    name = topic.name if topic else "重点"
    parts = [f"近期，{county}各地各部门认真贯彻落实县委、县政府部署要求，扎实做好{name}工作，取得积极成效。"]
    for i, (unit, body) in enumerate(sources):
        first = body.split("\n")[0].split("。")[0]
        lead = first.split("，", 1)[1] if "，" in first else first
        parts.append(f"{ORDINALS[i % 6]}是{unit}{lead.removeprefix(unit)}。")
    parts.append(f"下一步，{county}将认真总结推广基层好经验好做法，推动{name}工作再上新台阶。")
    title = pattern.format(c=county)
    return Text(title[:TITLE_MAX], "\n".join(parts), topic_key)


def editor_touch(rng: random.Random, body: str, heavy: bool) -> str:
    """What an editor does to a body before adopting or forwarding: cut a sentence or two, tighten a phrase."""
    sentences = [s for s in body.split("。") if s]
    cuts = rng.randint(2, 3) if heavy else 1
    for _ in range(cuts):
        if len(sentences) > 3:
            i = rng.randrange(1, len(sentences) - 1)
            if sum(len(s) + 1 for s in sentences) - len(sentences[i]) < 150:
                break  # an item still has to say what happened, where, what was done and with what result
            sentences.pop(i)
    text = "。".join(sentences) + "。"
    for old, new in (
        ("取得了明显成效", "成效明显"),
        ("第一时间", "迅速"),
        ("推动各项任务落地见效", "狠抓落实"),
    ):
        if old in text and rng.random() < 0.6:
            text = text.replace(old, new)
    return text

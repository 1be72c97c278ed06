"""Synthetic items for the reuse benchmark (bench_reuse.py): deterministic from an id, so a text is regenerated
instead of kept in memory.

A text is a run of words drawn from jieba's dictionary by frequency (Zipf-like, so common words and the 8-grams
they form recur across items the way they do in real prose), cut into sentences with Chinese punctuation and
paragraphs, with 2–4 stock political phrases mixed in (the boilerplate that must not make unrelated items look
copied). Lengths are uniform between 300 and 3,000 characters.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import numpy as np

STOCK = [
    "以习近平新时代中国特色社会主义思想为指导",
    "全面贯彻党的二十大和二十届历次全会精神",
    "坚持以人民为中心的发展思想",
    "切实增强群众获得感幸福感安全感",
    "统筹发展和安全",
    "推动各项工作落地见效",
    "压紧压实各方责任",
    "坚决守住不发生系统性风险底线",
    "持续深化作风建设",
    "扎实推进乡村全面振兴",
]
PUNCT = "，，，，。。；、：！"
NAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海波红梅玉兰卫东永明小燕"
PLACES = ["安平县", "石桥县", "长宁县", "清河县", "城关镇", "白沙镇", "龙泉镇", "青山乡", "红旗镇", "新华镇"]


@cache
def vocabulary() -> tuple[np.ndarray, np.ndarray]:
    import jieba

    words, freqs = [], []
    path = Path(jieba.__file__).parent / "dict.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in parts[0]):
            words.append(parts[0])
            freqs.append(int(parts[1]))
    p = np.array(freqs, dtype=np.float64) ** 0.8
    return np.array(words, dtype=object), np.cumsum(p / p.sum())


def text_for(doc_id: int, *, seed: int = 2026, length: int | None = None) -> str:
    rng = np.random.default_rng([seed, doc_id])
    words, cdf = vocabulary()
    target = length or int(rng.integers(300, 3001))
    n = target // 2 + 40
    chosen = words[np.minimum(np.searchsorted(cdf, rng.random(n)), len(words) - 1)]
    for k in rng.integers(0, n, size=int(rng.integers(2, 5))):
        chosen[k] = STOCK[int(rng.integers(len(STOCK)))]
    # A mark after about one word in five; a paragraph break after some full stops.
    marks = np.full(n, "", dtype=object)
    where = rng.random(n) < 0.2
    marks[where] = np.array(list(PUNCT), dtype=object)[rng.integers(0, len(PUNCT), int(where.sum()))]
    breaks = (marks == "。") & (rng.random(n) < 0.3)
    marks[breaks] = "。\n"
    out = np.empty(2 * n, dtype=object)
    out[0::2], out[1::2] = chosen, marks
    return "".join(out.tolist())[:target]


def title_for(doc_id: int) -> str:
    return f"合成信息{doc_id}"


TRADITIONAL = str.maketrans(
    "县镇对发现场组织开展进实时员问题务头农业这经过长门们会为从边乡机关处应区书记调解纠纷协议现将汇报风险检查单证达转经验网络条间车记录质库点报警两电气众节",
    "縣鎮對發現場組織開展進實時員問題務頭農業這經過長門們會為從邊鄉機關處應區書記調解糾紛協議現將匯報風險檢查單證達轉經驗網絡條間車記錄質庫點報警兩電氣眾節",
)


def disguise(text: str, rng: random.Random) -> str:
    """Every disguise at once: names inserted then swapped for placeholders, figures changed, sentences
    reordered, traditional characters, half-width punctuation."""
    sentences = [s for s in text.replace("\n", "。").split("。") if s]
    person = lambda: rng.choice(NAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)  # noqa: E731
    # The original names people and places every few sentences; the copy hides or changes them.
    for i in range(0, len(sentences), 3):
        sentences[i] = f"{rng.choice(PLACES)}{sentences[i]}{person()}"
    chunks = [sentences[i : i + 4] for i in range(0, len(sentences), 4)]
    rng.shuffle(chunks)
    body = "。".join(s for chunk in chunks for s in chunk) + "。"
    for place in PLACES:
        body = body.replace(place, "××" + place[-1])
    body = body.translate(TRADITIONAL).replace("，", ",").replace("；", ";")
    return body

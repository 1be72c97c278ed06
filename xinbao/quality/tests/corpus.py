"""Hand-written items on three topics (three per topic, each its own wording) and the disguises a copier uses.

Items on the same topic share the vocabulary of the topic but no passage: they are the negatives of the
precision/recall measure. Disguised copies of each item are the positives.
"""

from __future__ import annotations

import random

from xinbao.quality.reuse.normalize import simplified

ITEMS: dict[str, tuple[str, str]] = {
    "safety_1": (
        "safety",
        "近日，安平县城关镇组织安监、消防、市场监管等部门力量，对辖区内32家小餐饮、小作坊、小网吧开展安全隐患集中排查，"
        "重点检查燃气管道老化、灭火器过期、安全出口堵塞等问题。\n"
        "排查中，镇党委副书记张建国带队深入一线，对发现的18处隐患当场下达整改通知书，明确整改时限和责任人。"
        "对3家拒不整改的经营户，联合县应急管理局依法予以停业整顿。\n"
        "下一步，城关镇将建立“隐患清单、整改清单、责任清单”三张清单，实行动态销号管理，坚决防范遏制各类安全事故发生。",
    ),
    "safety_2": (
        "safety",
        "白沙镇把今年作为安全生产“基层基础提升年”，在全镇14个行政村各配备1名专职安全员，"
        "由镇应急办统一培训上岗，每月对农家乐、砖厂和沿河采砂点巡查不少于两次。\n"
        "为解决群众安全意识不强的问题，镇里组建了由退休教师李秀英牵头的宣讲队，编排快板、小品等群众喜闻乐见的节目，"
        "走进田间地头宣讲用电用气常识，已演出26场，覆盖群众4000余人次。\n"
        "截至10月底，全镇未发生较大以上生产安全事故，一般事故起数同比下降四成。",
    ),
    "safety_3": (
        "safety",
        "安平县教育局针对秋季开学后校车运行和校园食堂管理两大风险点，印发专项工作方案，成立由局长王立新任组长的督导组。"
        "督导组采取“四不两直”方式，随机抽查学校21所，逐车检查校车安全装置、驾驶人资质和行车记录，"
        "逐校查看食材进货台账、留样记录和从业人员健康证明。\n"
        "对检查中发现的食堂后厨生熟不分、校车座椅安全带损坏等问题，督导组现场反馈、限期整改，并纳入学校年度考核。",
    ),
    "flood_1": (
        "flood",
        "入汛以来，石桥县提前谋划防汛备汛工作，对全县47座小型水库、126公里河道堤防逐一落实行政、技术、巡查“三个责任人”，"
        "并在县防汛指挥部统一公示。\n"
        "县水利局组织技术人员对病险水库实行降低水位运行，汛前完成除险加固工程5处，储备编织袋3万条、冲锋舟8艘。"
        "针对山区群众居住分散的特点，县里在地质灾害隐患点设置简易雨量报警器，一旦雨量超过警戒值，由村干部逐户敲门通知转移。",
    ),
    "flood_2": (
        "flood",
        "7月18日晚至19日凌晨，江州市普降暴雨，局地出现大暴雨，部分低洼路段积水严重。"
        "市委、市政府主要负责同志连夜到市防汛指挥中心调度，要求把保障人民群众生命安全放在第一位。\n"
        "全市共出动抢险人员2100余人次、排涝车辆150余台，转移安置受威胁群众860人，"
        "对城区23处易涝点实行专人值守，及时清理雨水篦子和排水管网杂物。截至19日12时，城区积水已基本消退，交通恢复正常。",
    ),
    "flood_3": (
        "flood",
        "针对往年汛期山洪预警“最后一公里”不畅的问题，白沙镇创新推行“网格+防汛”工作法，"
        "把防汛任务落实到全镇86个网格，每个网格由一名村干部和两名党员包干负责。\n"
        "汛期每天由网格员在微信群报送雨情、水情，遇到强降雨时实行“叫应”机制，镇值班领导必须在十分钟内回复。"
        "今年以来，该镇提前转移群众三批次共210人，实现了“不死人、少伤人”的目标，相关做法被县防指转发推广。",
    ),
    "dispute_1": (
        "dispute",
        "城关镇东街社区在化解邻里纠纷中探索设立“板凳议事会”，由社区书记陈红梅召集楼栋长、老党员和当事双方围坐一起，"
        "当面摆事实、讲道理。\n"
        "今年春天，两户居民因楼道堆放杂物和漏水赔偿问题多次争吵，甚至惊动派出所。议事会三次上门调解，"
        "请来物业和维修师傅现场勘查，最终双方签订和解协议，握手言和。\n"
        "截至目前，议事会已调处各类纠纷41件，调解成功率达95%以上，社区警情同比明显下降。",
    ),
    "dispute_2": (
        "dispute",
        "石桥县司法局针对农村土地流转纠纷增多的情况，抽调法律服务工作者组成巡回调解组，深入各乡镇开展专项调处。"
        "调解组对排查出的流转合同不规范、租金拖欠、界址不清等纠纷，逐件建立台账，能当场调解的当场调解，"
        "涉及面广的提交县联合调解中心处理。\n"
        "同时，县司法局编印了土地流转合同示范文本，免费发放到村，从源头上减少因合同约定不明引发的矛盾。",
    ),
    "dispute_3": (
        "dispute",
        "安平县信访局推行领导干部接访下访常态化制度，县级领导每周轮流在县群众来访接待中心坐班接访，"
        "对群众反映的重点信访事项实行“一个问题、一名领导、一套方案、一抓到底”。\n"
        "县委常委、政法委书记刘志强包案化解了一起拖欠农民工工资十余年的老问题，协调相关企业分期兑付工资38万元，"
        "当事人专程送来锦旗。全县上半年信访积案化解率达到87%，重复访比例明显下降。",
    ),
}

SWAPS = {
    "安平县": "长宁县",
    "城关镇": "新华镇",
    "白沙镇": "红旗镇",
    "石桥县": "清河县",
    "江州市": "云州市",
    "张建国": "周海波",
    "李秀英": "孙桂兰",
    "王立新": "郑卫东",
    "陈红梅": "吴小燕",
    "刘志强": "何永明",
    "东街社区": "南门社区",
}

TRADITIONAL = str.maketrans(
    "县镇对发现场组织开展进实时员问题务头农业这经过长门们会为从边乡机关处应区书记调解纠纷协议问题"
    "现将汇报进处风险检查业单证书达转经验网络条时间车记录资质库险点报警两电气众节",
    "縣鎮對發現場組織開展進實時員問題務頭農業這經過長門們會為從邊鄉機關處應區書記調解糾紛協議問題"
    "現將匯報進處風險檢查業單證書達轉經驗網絡條時間車記錄資質庫險點報警兩電氣眾節",
)


def swap_names(text: str) -> str:
    for old, new in SWAPS.items():
        text = text.replace(old, new)
    return text


def placeholders(text: str) -> str:
    for name in SWAPS:
        if name.endswith(("县", "镇", "市")):
            text = text.replace(name, "××" + name[-1])
        elif name.endswith("社区"):
            text = text.replace(name, "xx社区")
        else:
            text = text.replace(name, name[0] + "某某")
    return text


def reorder(text: str) -> str:
    paragraphs = text.split("\n")
    return "\n".join(reversed(paragraphs))


def embed(text: str, filler: str) -> str:
    return filler[:300] + "\n" + text + "\n" + filler[300:700]


def traditional(text: str) -> str:
    return text.translate(TRADITIONAL)


def punctuation(text: str) -> str:
    return text.replace("，", ",").replace("。", ". ").replace("、", "/").replace("“", '"').replace("”", '"')


def disguises(text: str, filler: str) -> dict[str, str]:
    return {
        "names": swap_names(text),
        "placeholders": placeholders(text),
        "reorder": reorder(swap_names(text)),
        "embed": embed(text, filler),
        "traditional": traditional(text),
        "punctuation": punctuation(text),
        "all": punctuation(traditional(reorder(placeholders(text)))),
    }


def filler_text(seed: int = 7) -> str:
    """Text about something else entirely, for a copy to hide in."""
    rng = random.Random(seed)
    sentences = [
        "今年以来，本单位认真学习贯彻党的二十大精神，扎实推进各项重点工作。",
        "全年共组织理论学习中心组学习12次，开展专题研讨4次。",
        "机关党支部严格落实“三会一课”制度，党员干部作风明显转变。",
        "围绕优化营商环境，推出便民服务举措15项，企业办事时间平均缩短三分之一。",
        "在乡村振兴工作中，培育特色种植基地6个，带动农户增收。",
        "文明城市创建各项指标稳步提升，群众满意度持续提高。",
    ]
    return "".join(rng.choice(sentences) for _ in range(40))


def check_traditional_table() -> bool:
    """The hand-made table really is traditional: the project's own conversion undoes it."""
    src = "县镇对发现场组织开展"
    return simplified(traditional(src)) == src

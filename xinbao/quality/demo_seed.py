"""Demo seed step "quality" (order 180, after the items, bulletins, follow-ups and duty; before scoring): a small
reference corpus for reuse detection, and one draft of 安平县城关镇 that lifts a passage from it with the place
names changed — the "改头换面" copy PRODUCT 3.6 is about — so the demo shows a reuse match, with the passages side by
side, on the draft's edit page (log in as ap_xxy) and on its detail page.

The texts are written for the demo; places outside the demo province (南屏县, 青石镇 …) are as fictional as the
province itself. Everything is fixed text: the same on every seed, so the step draws nothing from its rng. The
draft goes through reports.services.report_create like every other item; a draft is never submitted, so it
changes neither submissions, adoptions nor scores.
"""

from __future__ import annotations

import random

from django.utils.translation import gettext

from xinbao.accounts.models import Role, User
from xinbao.demo.registry import SeedContext, register
from xinbao.quality.reuse.index import find_matches, index_report, report_text
from xinbao.quality.services import reference_create
from xinbao.reports.models import ReportType
from xinbao.reports.services import report_create

#: (title, source, text, uploaded by: anchor of the office whose editor adds it)
REFERENCES: list[tuple[str, str, str, str]] = [
    (
        "康泉县青石镇推行“板凳议事会”就地化解矛盾纠纷",
        "《明江信息》2026年第18期（中共明江省委办公厅）",
        "今年以来，康泉县青石镇针对农村邻里纠纷、土地边界纠纷多发的实际，在全镇21个村（社区）推行“板凳议事会”，"
        "把调解桌搬到村民家门口，推动矛盾纠纷就地发现、就地化解。\n"
        "一是议事力量“接地气”。每个村由村党支部书记牵头，吸收老党员、退休教师、人民调解员和“五老”人员组成议事团，"
        "全镇共组建议事团21个、吸纳成员186人，群众有事随时可以“搬个板凳坐下来说”。\n"
        "二是议事程序“有章法”。制定“群众申请、支部受理、议事协商、结果公示、跟踪回访”五步工作法，"
        "议事过程全程记录，协商结果张榜公示，对一次协商不成的纠纷，由镇综治中心组织司法所、派出所联合会商。\n"
        "三是议事成果“见实效”。今年1至9月，全镇通过“板凳议事会”化解各类矛盾纠纷312件，化解率达96.5%，"
        "信访总量同比下降38%，未发生一起因纠纷调处不及时引发的“民转刑”案件。"
        "青石镇党委书记刘国栋表示，下一步将把议事会与网格化管理相结合，推动更多矛盾纠纷化解在萌芽状态。",
        "province_office",
    ),
    (
        "南屏县“网格+防汛”织密安全度汛防护网",
        "某新闻网站（2026年6月12日）",
        "入汛以来，南屏县把防汛责任落实到全县612个网格，每个网格明确一名网格长和两名网格员，"
        "汛期实行“日巡查、雨中查、雨后查”，对山洪沟、削坡建房、病险山塘等风险点逐一登记造册。\n"
        "县防汛办依托网格微信群建立预警“叫应”机制：气象部门发布暴雨预警后，县、乡、村、网格四级责任人须在15分钟内逐级回复，"
        "确保预警信息直达每家每户。针对独居老人、留守儿童等特殊群体，网格员提前建立“一对一”转移帮扶台账。\n"
        "截至目前，全县已开展防汛应急演练58场次，提前转移受威胁群众1460人，实现了汛期“不死人、少伤人、少损失”的目标。",
        "county_office",
    ),
    (
        "汀州市推行“一窗通办”企业开办时间压缩至1个工作日",
        "汀州市人民政府网站",
        "为进一步优化营商环境，汀州市在市政务服务中心设立企业开办“一窗通办”专区，"
        "将营业执照办理、公章刻制、发票申领、社保登记、住房公积金开户等事项整合为“一件事”，"
        "申请人只需填写一张表、提交一套材料，即可一次办结。\n"
        "市市场监管局会同税务、公安、人社等部门建立数据共享机制，推行电子营业执照和电子印章同步发放，"
        "并为新开办企业免费刻制首套印章。今年以来，全市新设立市场主体1.2万户，企业开办平均用时由3个工作日压缩至1个工作日以内。",
        "county_office",
    ),
    (
        "外县集中整治农村人居环境“脏乱差”",
        "网络转载文章（作者不详）",
        "为推动农村人居环境持续改善，某县以“清垃圾、清塘沟、清畜禽粪污、清残垣断壁”为重点，"
        "开展为期三个月的村庄清洁集中行动。县里组建由县领导带队的督导组，采取“四不两直”方式暗访检查，"
        "每月对各乡镇进行排名通报，排名末位的乡镇主要负责同志在全县大会上作表态发言。\n"
        "各村将环境卫生纳入村规民约，推行“门前三包”责任制，评选“美丽庭院”示范户，"
        "引导群众从“旁观者”变为“参与者”。行动开展以来，共清理生活垃圾1.8万吨、沟渠塘堰420公里，拆除残垣断壁1300余处。",
        "county_office",
    ),
]

#: The copy: the first reference's passages under another township's name, a changed opening, an added closing
#: paragraph, and a miswriting (截止目前) for the wording check to flag beside the reuse match.
DRAFT_TITLE = "城关镇“板凳议事会”让矛盾纠纷就地化解"
DRAFT_BODY = (
    "截止目前，城关镇通过“板凳议事会”累计化解矛盾纠纷200余件，群众满意度明显提升。\n"
    "一是议事力量“接地气”。每个村由村党支部书记牵头，吸收老党员、退休教师、人民调解员和“五老”人员组成议事团，"
    "全镇共组建议事团14个、吸纳成员120人，群众有事随时可以“搬个板凳坐下来说”。\n"
    "二是议事程序“有章法”。制定“群众申请、支部受理、议事协商、结果公示、跟踪回访”五步工作法，"
    "议事过程全程记录，协商结果张榜公示，对一次协商不成的纠纷，由镇综治中心组织司法所、派出所联合会商。\n"
    "三是议事成果“见实效”。今年1至9月，全镇通过“板凳议事会”化解各类矛盾纠纷208件，化解率达95%，"
    "信访总量同比下降30%。城关镇党委书记表示，下一步将把议事会与网格化管理相结合，推动更多矛盾纠纷化解在萌芽状态。\n"
    "下一步，城关镇将在东街、西街两个社区先行试点“线上议事厅”，方便外出务工群众参与家乡事务协商。"
)


def _editor(unit_id: int) -> User | None:
    return (
        User.objects.filter(unit_id=unit_id, is_active=True, role_assignments__role=Role.EDITOR)
        .order_by("username")
        .first()
    )


def _informant(context: SeedContext) -> User | None:
    key = context.users.get("ap_xxy")
    if key is not None:
        return key
    township = context.anchors.get("township")
    if township is None:
        return None
    return (
        User.objects.filter(unit=township, is_active=True, role_assignments__role=Role.INFORMANT)
        .order_by("username")
        .first()
    )


@register(180, "quality")
def seed_quality(rng: random.Random, context: SeedContext) -> None:
    del rng  # fixed texts: nothing to draw
    references = 0
    for title, source, text, anchor in REFERENCES:
        office = context.anchors.get(anchor)
        editor = _editor(office.pk) if office is not None else None
        if editor is None:
            continue
        reference_create(actor=editor, title=title, source=source, text=text)
        references += 1
    context.count("reference_documents", references)
    informant = _informant(context)
    if informant is None or not references:
        return
    draft = report_create(
        actor=informant, title=DRAFT_TITLE, body=DRAFT_BODY, report_type=ReportType.EXPERIENCE
    )
    # Indexed now rather than when the seed commits, so the step can show (and a test can check) the match.
    index_report(draft.pk)
    context.count("reuse_demo_drafts", 1)
    context.extra["reuse_demo_draft"] = draft.pk
    matches = find_matches(report_text(draft.title, draft.body), threshold=0.3, exclude_report_id=draft.pk)
    best = matches[0] if matches else None
    source = best.doc.reference.title if best is not None and best.doc.reference else "—"
    context.log(
        "  "
        + gettext("参考资料 %(n)d 篇；查重演示草稿《%(title)s》与参考资料《%(source)s》重合度 %(score).2f")
        % {
            "n": references,
            "title": draft.title,
            "source": source,
            "score": best.score if best is not None else 0.0,
        }
    )

"""Curated Chinese names for the fictional demo province (明江省).

Surname weights follow the rough order of the 2020 census frequency table (per 10,000 people); the given names are
the common ones of people born 1960-2000, when today's civil servants were born. Place names are fictional
combinations of ordinary place-name characters; a coincidence with a real place is harmless because the province
itself does not exist.
"""

from __future__ import annotations

import random


def _words(text: str) -> list[str]:
    """Long name lists are kept as whitespace-separated text, one screen wide, for proofreading."""
    return text.split()


# (surname, weight per 10,000 people)
SURNAMES: list[tuple[str, float]] = [
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 46), ("杨", 31), ("黄", 22), ("赵", 20),
    ("吴", 19), ("周", 19), ("徐", 13), ("孙", 13), ("马", 12), ("朱", 12), ("胡", 11), ("郭", 11),
    ("何", 10), ("林", 9.7), ("罗", 9.5), ("高", 9.4), ("郑", 8.6), ("梁", 8.5), ("谢", 7.3), ("宋", 7.1),
    ("唐", 6.9), ("许", 6.7), ("韩", 6.5), ("邓", 6.3), ("冯", 6.3), ("曹", 6.2), ("彭", 5.9), ("曾", 5.6),
    ("肖", 5.5), ("田", 5.0), ("董", 4.9), ("潘", 4.7), ("袁", 4.6), ("蔡", 4.4), ("蒋", 4.4), ("余", 4.3),
    ("于", 4.2), ("杜", 4.0), ("叶", 4.0), ("程", 3.9), ("魏", 3.7), ("苏", 3.7), ("吕", 3.6), ("丁", 3.5),
    ("任", 3.5), ("卢", 3.4), ("姚", 3.3), ("沈", 3.2), ("钟", 3.2), ("姜", 3.1), ("崔", 3.0), ("谭", 2.9),
    ("陆", 2.8), ("范", 2.7), ("汪", 2.7), ("廖", 2.6), ("石", 2.6), ("金", 2.5), ("韦", 2.5), ("贾", 2.4),
    ("夏", 2.3), ("付", 2.3), ("方", 2.2), ("邹", 2.1), ("熊", 2.1), ("白", 2.1), ("孟", 2.0), ("秦", 2.0),
    ("邱", 2.0), ("侯", 1.9), ("江", 1.9), ("尹", 1.8), ("薛", 1.8), ("闫", 1.7), ("段", 1.7), ("雷", 1.6),
    ("龙", 1.5), ("黎", 1.5), ("史", 1.5), ("陶", 1.5), ("贺", 1.4), ("毛", 1.4), ("郝", 1.4), ("顾", 1.3),
    ("龚", 1.3), ("邵", 1.3), ("万", 1.2), ("覃", 1.2), ("武", 1.2), ("钱", 1.1), ("戴", 1.1), ("严", 1.1),
    ("莫", 1.0), ("孔", 1.0), ("向", 1.0), ("常", 1.0), ("汤", 1.0), ("康", 0.9), ("易", 0.9), ("乔", 0.9),
    ("赖", 0.9), ("文", 0.9), ("施", 0.8), ("洪", 0.8), ("辛", 0.6), ("柳", 0.6), ("欧阳", 0.5), ("司马", 0.1),
    ("上官", 0.1), ("诸葛", 0.1), ("令狐", 0.05), ("皇甫", 0.05),
]  # fmt: skip

GIVEN_TWO: list[str] = _words("""
建国 建华 建军 建平 建明 建新 建伟 国强 国华 国栋 国庆 志强 志刚 志明 志勇 永强 永红 永平 永刚 文斌 文静
文华 文军 文涛 俊杰 俊峰 浩然 子涵 思雨 欣怡 雨婷 嘉欣 佳琪 梦瑶 一鸣 宇航 博文 天宇 鹏飞 明辉 振华 卫东
卫国 红军 向东 新民 德明 立新 利民 学军 海涛 宏伟 红霞 丽华 淑珍 凤英 秀兰 秀英 桂英 金凤 美玲 慧敏 晓燕
晓丽 亚楠 晨曦 紫涵 雨轩 家豪 振宇 子豪 晓峰 小龙 云飞 庆华 立军 立华 春梅 冬梅 秋菊 雪梅 玉梅 丽萍 晓红
晓梅 小红 小燕 亚军 亚平 海波 海龙 海燕 海峰 红梅 玉兰 丽娟 春华 春燕 晓东 晓明 晓军 晓光 明亮 明华 光明
光辉 伟东 伟华 伟民 爱华 爱民 爱国 秀珍 秀梅 桂兰 桂芳 玉珍 玉芳 玉华 淑华 淑英 素芬 素珍 雪芳 雪莲 丹丹
婷婷 莉莉 静怡 思琪 诗涵 雅琴 雅婷 梦琪 若曦 欣然 心怡 可欣 佳怡 佳慧 慧琳 晓雯 晓婷 晓倩 晓琳 晓雪 文娟
文丽 艳红 艳玲 艳华 丽君 丽红 丽芳 丽琴 月华 月娥 金花 金莲 瑞芳 瑞华 彩霞 彩云 翠兰 凤兰 凤霞 红英 红艳
兴华 兴旺 兴国 绍华 绍军 德华 德胜 德兵 德林 正华 正平 正义 世杰 世明 世龙 家明 家乐 家伟 俊辉 俊豪 俊宇
宏亮 宏斌 宏宇 宏图 鸿飞 鸿宇 泽宇 泽民 思远 思源 子轩 子健 梓涵 梓轩 浩宇 浩轩 皓轩 昊天 天佑 天翔 瑞龙
瑞祥 锦涛 锦华 旭东 旭辉 晓辉 朝阳 东升 东海 江涛 长江 长青 长春 春生 春林 冬生 秋生 福生 福林 金龙 金生
""")

GIVEN_ONE: list[str] = _words("""
伟 磊 勇 军 洋 杰 涛 明 超 静 丽 敏 燕 艳 娟 霞 芳 婷 雪 俊 斌 鑫 亮 健 凯 浩 波 辉 刚 平 峰 宁 琳 莉 萍 倩
颖 璐 晶 蕾 瑶 琪 鹏 飞 彬 毅 强 华 红 梅 兰 英 玲 娜 慧 欢 琴 云 虹 悦 昕 博 帆 宇 晨 阳 君 蓉 岚 荣
""")

# Place names. Two characters each; the generator below combines them into county names.
CITY_NAMES: list[str] = _words("""
云岭 临澜 青原 东陵 丰源 南屏 岚山 柏溪 宁川 枫林 望江 沅陵 清泉 桂溪 楚原 澄阳 梧岗 宜川 苍梧 安澜 汀州 嵩阳
""")

COUNTY_FIRST = "安平青云临丰永长清石桃龙凤金玉宝新嘉宁德仁和泰康兴汉武昌盛鹤松柏兰竹梅樟枫岳溪滨湘潇沅澧"
COUNTY_SECOND = "平桥山溪河乐宁安川江阳城源泉林陵丰昌化水田湖原岗坪州都谷口丘"

DISTRICT_NAMES: list[str] = _words("""
东城 西城 南城 北城 江北 江南 河东 河西 湖滨 滨江 新城 城中 钟楼 鼓楼 望湖 临江 山南 江岸 湖心 北塔
南塔 西湖 东湖 城东 城西 双塔 凤台 龙城 云台 沙洲 金港 银滩 翠屏 青山 桥东 桥西 南岸 北岸
东港 西港 湖东 湖西 城南 城北 开元 港湾
""")

# Townships (镇/乡): ordinary rural place names.
RURAL_NAMES: list[str] = _words("""
白沙 桃源 龙潭 青石 柳林 杨柳 三河 双桥 石门 黄岗 马坪 大坪 小河 高桥 长岭 金竹 银杏 梅花 兰溪 竹园 松林
枫树 花桥 新田 平安 太平 永安 长乐 福田 丰收 黄土 红岩 青龙 白鹤 凤凰 龙泉 金鸡 鹤山 云台 莲花 荷塘 柏树
三星 五里 七里 九龙 石桥 铜锣 大田 水口 河口 江口 溪口 沙坪 古城 新街 马场 羊山 鹿鸣 仙桥 观音 天星 东岳
西岭 北山 双河 两河 合兴 兴隆 新集 王家 李家 张家 陈家 杨家 刘家 何家 罗家 黄家 周家 柳树湾 黄泥岗 马家坝
杨柳湾 石板 大湾 桂花 茶园 梨园 杏林 稻香 麦田 清溪 碧水 白云 青峰 望城 回龙 卧龙 盘龙 腾龙 飞凤 落凤 金山
银山 宝山 玉屏 翠竹 青松 紫荆 芙蓉 牡丹 杜鹃 桐木 樟树 楠木 松柏 桑园 麻城 油坊 盐井 铁炉 石灰 砖桥 瓦屋
草坪 沙河 泥湾 土桥 木桥 竹林 花园 果园 菜园 李子坪 桃花 杏花 梨花 荷花 菊花 兰花 大石 小石 黑石 白石
""")

# Streets (街道): the names of town quarters.
STREET_NAMES: list[str] = _words("""
城东 城西 城南 城北 东关 西关 南关 北关 新华 人民 解放 建设 和平 文化 胜利 中山 长安 东风 红星 光明 朝阳
向阳 清河 湖滨 滨江 站前 新城 东城 西城 南湖 北湖 凤鸣 龙华 金桥 银河 春晖 秀水 育才 环城 江滨
""")


class NameBook:
    """Deterministic name generation from one random.Random; never touches the global random state."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._surnames = [s for s, _ in SURNAMES]
        self._cum_weights: list[float] = []
        total = 0.0
        for _, w in SURNAMES:
            total += w
            self._cum_weights.append(total)

    def person(self) -> str:
        surname = self.rng.choices(self._surnames, cum_weights=self._cum_weights)[0]
        # About one in five people born in these decades has a one-character given name.
        given = self.rng.choice(GIVEN_ONE) if self.rng.random() < 0.2 else self.rng.choice(GIVEN_TWO)
        return surname + given

    def county_names(self, count: int, taken: set[str]) -> list[str]:
        """``count`` distinct two-character county names not in ``taken`` (which is updated)."""
        names: list[str] = []
        attempts = 0
        while len(names) < count:
            attempts += 1
            if attempts > count * 200:
                raise RuntimeError("县名候选不足")
            a, b = self.rng.choice(COUNTY_FIRST), self.rng.choice(COUNTY_SECOND)
            name = a + b
            if a == b or name in taken:
                continue
            taken.add(name)
            names.append(name)
        return names

    def pick_distinct(self, pool: list[str], count: int, taken: set[str]) -> list[str]:
        """``count`` names from ``pool`` in random order, skipping those in ``taken`` (which is updated)."""
        free = [n for n in pool if n not in taken]
        if len(free) < count:
            raise RuntimeError("地名候选不足")
        chosen = self.rng.sample(free, count)
        taken.update(chosen)
        return chosen

"""Chinese personal, place and organization names.

Surname frequencies follow the Ministry of Public Security's 2020 surname
report (top 100 cover ~85 % of people). A share of given names comes from the
most common full given names, so that common-name collisions (many 张伟, 王芳)
occur as they do in every real register and identity numbers, not names, must
decide who is who.
"""

from __future__ import annotations

import numpy as np

# (surname, share in percent) from the 2020 household-registration report.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 7.25), ("李", 7.19), ("张", 6.83), ("刘", 5.38), ("陈", 4.53), ("杨", 3.08),
    ("黄", 2.23), ("赵", 2.19), ("吴", 2.05), ("周", 1.93), ("徐", 1.45), ("孙", 1.38),
    ("马", 1.29), ("朱", 1.26), ("胡", 1.15), ("郭", 1.15), ("何", 1.12), ("高", 1.08),
    ("林", 1.03), ("罗", 0.86), ("郑", 0.85), ("梁", 0.82), ("谢", 0.72), ("宋", 0.63),
    ("唐", 0.61), ("许", 0.60), ("韩", 0.58), ("冯", 0.56), ("邓", 0.55), ("曹", 0.54),
    ("彭", 0.53), ("曾", 0.51), ("肖", 0.51), ("田", 0.50), ("董", 0.50), ("袁", 0.49),
    ("潘", 0.47), ("于", 0.46), ("蒋", 0.46), ("蔡", 0.45), ("余", 0.43), ("杜", 0.42),
    ("叶", 0.41), ("程", 0.40), ("苏", 0.39), ("魏", 0.39), ("吕", 0.38), ("丁", 0.38),
    ("任", 0.37), ("沈", 0.36), ("姚", 0.35), ("卢", 0.35), ("姜", 0.34), ("崔", 0.33),
    ("钟", 0.32), ("谭", 0.32), ("陆", 0.31), ("汪", 0.30), ("范", 0.30), ("金", 0.29),
    ("石", 0.29), ("廖", 0.28), ("贾", 0.28), ("夏", 0.27), ("韦", 0.27), ("付", 0.26),
    ("方", 0.26), ("白", 0.25), ("邹", 0.25), ("孟", 0.24), ("熊", 0.24), ("秦", 0.23),
    ("邱", 0.23), ("江", 0.22), ("尹", 0.22), ("薛", 0.21), ("闫", 0.21), ("段", 0.20),
    ("雷", 0.20), ("侯", 0.20), ("龙", 0.19), ("史", 0.19), ("陶", 0.18), ("黎", 0.18),
    ("贺", 0.18), ("顾", 0.17), ("毛", 0.17), ("郝", 0.16), ("龚", 0.16), ("邵", 0.16),
    ("万", 0.15), ("钱", 0.15), ("严", 0.15), ("覃", 0.14), ("武", 0.14), ("戴", 0.14),
    ("莫", 0.13), ("孔", 0.13), ("向", 0.13), ("汤", 0.12), ("欧阳", 0.05), ("司马", 0.02),
    ("诸葛", 0.01), ("上官", 0.01),
)

MALE_CHARACTERS = tuple(
    "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志文海东峰亮成兵晨博轩睿泽子豪然宏德永福庆春金荣顺学振家梓一天思皓铭宸逸嘉航昊"
)
FEMALE_CHARACTERS = tuple(
    "芳娜敏静丽艳娟霞秀英玲桂兰红梅琳燕萍洁婷雪慧颖倩琴云莉丹欣怡佳悦涵诗雨梦思晴可馨萱瑶琪彤雅月玉珍凤美"
)
# The most frequent full given names; drawing them often produces the name
# collisions every real register has.
COMMON_MALE_GIVEN = ("伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "建华", "建国", "志强", "浩然", "子轩")
COMMON_FEMALE_GIVEN = ("芳", "娜", "敏", "静", "丽", "艳", "娟", "秀英", "桂英", "秀兰", "玉兰", "丽娟", "婷婷", "欣怡", "子涵")

# Rare characters parents choose and the common homophone clerks type when an
# input method or an old system lacks them.
RARE_CHARACTER_HOMOPHONES: dict[str, str] = {
    "喆": "哲", "堃": "坤", "犇": "奔", "淼": "苗", "昇": "升", "燊": "深", "珺": "君",
    "祎": "依", "玥": "月", "赟": "云", "翀": "冲", "琎": "进", "彧": "玉", "晞": "希",
    "垚": "尧", "淏": "浩", "峣": "尧",
}
_RARE_CHARACTERS = tuple(RARE_CHARACTER_HOMOPHONES)

# Uyghur-style names transliterated with a middle dot: own name · father's name.
TRANSLITERATED_MALE = ("艾力", "买买提", "艾尔肯", "阿不都", "吐尔洪", "努尔", "亚森", "阿里木", "伊力哈木")
TRANSLITERATED_FEMALE = ("阿依古丽", "古丽娜尔", "热依拉", "迪丽娜尔", "帕提古丽", "米娜", "再娜甫", "阿依努尔")
TRANSLITERATED_FATHER = ("买买提", "吐尔逊", "艾力", "阿不都热合曼", "玉素甫", "司马义", "热合曼", "肉孜", "卡德尔", "依明")
MIDDLE_DOT = "·"

# Place-name morphemes of the kind Nanjing's streets, communities and estates
# use; combined pairwise when single ones run out.
PLACE_WORDS = tuple(
    """
    梅园 新街 孝陵 锁金 红山 玄武 兰园 后宰 中央 湖南 宁海 华侨 江东 凤凰 挹江 热河 宝塔
    燕子矶 迈皋 尧化 仙林 马群 龙潭 栖霞 雨花 赛虹 铁心 西善 板桥 梅山 东山 秣陵 汤山 淳化
    禄口 麒麟 秦淮 夫子庙 双塘 中华 红花 光华 月牙湖 瑞金 朝天宫 莫愁 沙洲 兴隆 南苑 双闸
    江心洲 桥北 泰山 顶山 沿江 汤泉 星甸 永宁 盘城 葛塘 长芦 雄州 龙袍 横梁 竹镇 永阳 洪蓝
    石湫 淳溪 古柏 桠溪 漆桥 东坝 清凉 五台 银城 金陵 紫金 钟山 青龙 白鹭 桃园 翠屏 明月
    锦绣 和平 幸福 友谊 光明 建设 新华 人民 解放 胜利 长江 滨江 文昌 育才 朝阳 东方 西山
    南湖 北苑 天河 绿洲 康乐 安居 丰收 兴旺 万象 春江 碧水 怡景 金桥 银杏 梧桐 香樟 玉兰
    海棠 丁香 芙蓉 牡丹 荷花 松涛 竹园 梅林 桂花 杏林 柳营 枫林 凤台 龙江 虎踞 清江 草场
    """.split()
)
ESTATE_SUFFIXES = ("小区", "花园", "新村", "苑", "家园", "公寓", "华庭", "名苑", "雅居")
OFFICE_SUFFIXES = ("大厦", "中心", "广场")
ORGANIZATION_KINDS = (
    "物业管理有限公司", "房地产开发有限公司", "科技有限公司", "商贸有限公司", "餐饮管理有限公司",
    "投资有限公司", "建设工程有限公司", "文化传媒有限公司", "医药有限公司", "教育咨询有限公司",
)


def draw_surnames(count: int, rng: np.random.Generator) -> np.ndarray:
    """Draw surnames by their national frequency."""
    surnames = np.array([surname for surname, _ in SURNAMES])
    weights = np.array([share for _, share in SURNAMES])
    return surnames[rng.choice(len(surnames), size=count, p=weights / weights.sum())]


def draw_given_names(male: np.ndarray, rng: np.random.Generator) -> list[str]:
    """Draw a given name for each person.

    Args:
        male: Boolean array, one per person.
        rng: Random stream.

    Returns:
        One or two characters; about 15 % are the most common full given
        names and ~1 % end in a rare character.
    """
    count = len(male)
    style = rng.random(count)
    first = rng.integers(0, 1 << 30, size=count)
    second = rng.integers(0, 1 << 30, size=count)
    rare = rng.random(count) < 0.01
    rare_pick = rng.integers(0, len(_RARE_CHARACTERS), size=count)
    given_names: list[str] = []
    for i, is_male in enumerate(male.tolist()):
        pool, common = (MALE_CHARACTERS, COMMON_MALE_GIVEN) if is_male else (FEMALE_CHARACTERS, COMMON_FEMALE_GIVEN)
        if style[i] < 0.15:
            given = common[first[i] % len(common)]
        elif style[i] < 0.40:
            given = pool[first[i] % len(pool)]
        else:
            given = pool[first[i] % len(pool)] + pool[second[i] % len(pool)]
        if rare[i]:
            given = given[:-1] + _RARE_CHARACTERS[rare_pick[i]]
        given_names.append(given)
    return given_names


def draw_transliterated_names(male: np.ndarray, rng: np.random.Generator) -> list[str]:
    """Draw transliterated minority names: own name, middle dot, father's name."""
    own = rng.integers(0, 1 << 30, size=len(male))
    father = rng.integers(0, len(TRANSLITERATED_FATHER), size=len(male))
    names: list[str] = []
    for is_male, own_pick, father_pick in zip(male.tolist(), own.tolist(), father.tolist(), strict=True):
        pool = TRANSLITERATED_MALE if is_male else TRANSLITERATED_FEMALE
        names.append(pool[own_pick % len(pool)] + MIDDLE_DOT + TRANSLITERATED_FATHER[father_pick])
    return names


class PlaceNamer:
    """Hands out place names that are unique within one city.

    Single morphemes are used first, then pairs, as real cities do when a
    name is taken (新街 then 新街口, 梅园新村).
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def take(self, suffix: str) -> str:
        """Return an unused name ending in `suffix` (e.g. ``街道``, ``社区``).

        Pairs of words give about 18,000 names; a city of a million needs
        more organization names than that, so triples follow when pairs run
        out.
        """
        for _ in range(20):
            word = PLACE_WORDS[int(self._rng.integers(len(PLACE_WORDS)))]
            if word + suffix not in self._used:
                return self._claim(word + suffix)
        for _ in range(100):
            first, second = self._rng.integers(len(PLACE_WORDS), size=2)
            name = PLACE_WORDS[int(first)] + PLACE_WORDS[int(second)] + suffix
            if first != second and name not in self._used:
                return self._claim(name)
        while True:
            first, second, third = self._rng.integers(len(PLACE_WORDS), size=3)
            name = PLACE_WORDS[int(first)] + PLACE_WORDS[int(second)] + PLACE_WORDS[int(third)] + suffix
            if len({int(first), int(second), int(third)}) == 3 and name not in self._used:
                return self._claim(name)

    def _claim(self, name: str) -> str:
        self._used.add(name)
        return name

# Employers of floating residents besides the property companies.
EMPLOYER_KINDS = (
    "物流有限公司", "电子科技有限公司", "服装有限公司", "建筑劳务有限公司", "家政服务有限公司",
    "快递服务有限公司", "餐饮管理有限公司", "汽车销售服务有限公司", "机械制造有限公司", "超市有限公司",
    "酒店管理有限公司", "网络科技有限公司", "保安服务有限公司", "装饰工程有限公司", "食品有限公司",
)
# Sole proprietorships (个体工商户) run by floating residents in business.
SHOP_KINDS = ("面馆", "便利店", "五金店", "水果店", "理发店", "小吃店", "服装店", "手机维修店", "烟酒店", "干洗店")
# Registered social organizations (社会组织) by type, as civil affairs names them.
SOCIAL_GROUP_TOPICS = (
    "书法", "摄影", "围棋", "老年体育", "餐饮行业", "物业管理", "电子商务", "志愿者", "青年创业", "作家",
    "收藏", "太极拳", "钓鱼", "软件行业", "家庭教育", "心理咨询", "楹联", "戏曲", "舞蹈", "民俗文化",
)
SOCIAL_GROUP_SUFFIXES = ("协会", "商会", "联合会", "研究会", "促进会")
PRIVATE_NON_ENTERPRISE_SUFFIXES = (
    "幼儿园", "培训学校", "养老服务中心", "社会工作服务中心", "康复中心", "艺术培训中心", "外国语学校",
)
FOUNDATION_SUFFIXES = ("慈善基金会", "教育发展基金会", "公益基金会")
SCHOOL_KINDS = ("中学", "小学", "职业技术学院", "技师学院", "大学")

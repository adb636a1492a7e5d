"""``habeas demo``: realistic fictional dossiers, generated from a seed.

Everything here is invented: the persons, their names (built from surname, given-name and syllable
tables), the organisations, the places of detention and the documents that report them. The shape
follows what monitors really handle (see docs/DOMAIN.md): names in several scripts and
romanisations, partial and approximate dates, PRC Criminal Law articles that recur in political
cases, sentences and their changes, statuses, health and allegations, and source texts shaped like
real ones (a scraped news page with its menus, paywall line, doubled photo caption and footer; an NGO
report; a state-media notice; a verdict excerpt; a testimony).

Every fact cites the exact words of its source that state it: the text is built piece by piece and
each fact's ``span`` is recorded as the piece is added, so ``text[start:end]`` is the sentence (or
the name, or the charge) that says it. A fact that a document does not state is not generated for
the person it describes (a verdict says nothing of a later release).

Generation uses ``random.Random`` only; the same seed and the same starting number give the same
bundles. Dates are reckoned against a fixed day (``AS_OF``), never today's, so they do not drift.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import random
import secrets
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from queue import Empty
from typing import Any

from habeas.dossiers.bulk import (
    AffiliationIn,
    AllegationIn,
    BulkResult,
    ChargeIn,
    CustodyIn,
    DetentionIn,
    ExternalIdIn,
    HealthIn,
    LegalStepIn,
    NameIn,
    PersonIn,
    PlaceIn,
    SentenceChangeIn,
    SentenceIn,
    SourceIn,
    StatusIn,
    batched,
    prepare_names,
)

AS_OF = dt.date(2025, 6, 30)
_AS_OF = AS_OF.toordinal()
_D1999 = dt.date(1999, 1, 1).toordinal()
_D2015_11 = dt.date(2015, 11, 1).toordinal()  # art. 120-3 (Amendment IX) in force
SCHEME = "demo"  # ExternalId scheme of generated persons
STATUTE = "PRC Criminal Law 1997"
MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MON = ("", "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")


# -- names -----------------------------------------------------------------------------------------
def _table(spec: str) -> list[tuple[str, ...]]:
    return [tuple(entry.split()) for entry in spec.strip().split(";") if entry.strip()]


# simplified, traditional, pinyin with tones, Wade-Giles, weight (per mille)
_SURNAMES = _table(
    """王 王 wáng wang 71; 李 李 lǐ li 70; 张 張 zhāng chang 67; 刘 劉 liú liu 54; 陈 陳 chén ch'en 45;
    杨 楊 yáng yang 31; 黄 黃 huáng huang 22; 赵 趙 zhào chao 20; 吴 吳 wú wu 19; 周 周 zhōu chou 19;
    徐 徐 xú hsü 15; 孙 孫 sūn sun 14; 马 馬 mǎ ma 13; 朱 朱 zhū chu 13; 胡 胡 hú hu 12; 郭 郭 guō kuo 11;
    何 何 hé ho 10; 高 高 gāo kao 10; 林 林 lín lin 10; 罗 羅 luó lo 9; 郑 鄭 zhèng cheng 9;
    梁 梁 liáng liang 8; 谢 謝 xiè hsieh 7; 宋 宋 sòng sung 6; 唐 唐 táng t'ang 6; 许 許 xǔ hsü 6;
    韩 韓 hán han 6; 冯 馮 féng feng 5; 邓 鄧 dèng teng 5; 曹 曹 cáo ts'ao 5; 彭 彭 péng p'eng 5;
    曾 曾 zēng tseng 5; 肖 蕭 xiāo hsiao 5; 田 田 tián t'ien 4; 董 董 dǒng tung 4; 袁 袁 yuán yüan 4;
    潘 潘 pān p'an 4; 于 于 yú yü 4; 蒋 蔣 jiǎng chiang 4; 蔡 蔡 cài ts'ai 4; 余 余 yú yü 4; 杜 杜 dù tu 4;
    叶 葉 yè yeh 4; 程 程 chéng ch'eng 4; 苏 蘇 sū su 3; 魏 魏 wèi wei 3; 吕 呂 lǚ lü 3; 丁 丁 dīng ting 3;
    任 任 rèn jen 3; 沈 沈 shěn shen 3; 姚 姚 yáo yao 3; 卢 盧 lú lu 3; 姜 姜 jiāng chiang 3;
    崔 崔 cuī ts'ui 3; 钟 鍾 zhōng chung 3; 谭 譚 tán t'an 3; 陆 陸 lù lu 3; 汪 汪 wāng wang 3;
    范 范 fàn fan 3; 金 金 jīn chin 3; 石 石 shí shih 3; 廖 廖 liào liao 3; 贾 賈 jiǎ chia 3;
    夏 夏 xià hsia 3; 韦 韋 wéi wei 3; 方 方 fāng fang 3; 白 白 bái pai 2; 邹 鄒 zōu tsou 2;
    孟 孟 mèng meng 2; 熊 熊 xióng hsiung 2; 秦 秦 qín ch'in 2; 邱 邱 qiū ch'iu 2; 江 江 jiāng chiang 2;
    尹 尹 yǐn yin 2; 薛 薛 xuē hsüeh 2; 段 段 duàn tuan 2; 雷 雷 léi lei 2; 侯 侯 hóu hou 2;
    龙 龍 lóng lung 2; 史 史 shǐ shih 2; 贺 賀 hè ho 2; 顾 顧 gù ku 2; 毛 毛 máo mao 2; 郝 郝 hǎo hao 2;
    龚 龔 gōng kung 2; 邵 邵 shào shao 2; 万 萬 wàn wan 2; 钱 錢 qián ch'ien 2; 戴 戴 dài tai 2;
    严 嚴 yán yen 2; 欧阳 歐陽 ōuyáng ou-yang 1"""
)
# Hui families: Ma above all.
_HUI_SURNAMES = [s for s in _SURNAMES if s[0] == "马"] * 6 + [s for s in _SURNAMES if s[0] in "白杨李金丁"]
# simplified, traditional, pinyin with tones, Wade-Giles, m / f / n(either)
_GIVEN = _table(
    """伟 偉 wěi wei m; 明 明 míng ming n; 德 德 dé te m; 华 華 huá hua n; 建 建 jiàn chien m;
    国 國 guó kuo m; 军 軍 jūn chün m; 平 平 píng p'ing n; 志 志 zhì chih m; 强 強 qiáng ch'iang m;
    文 文 wén wen n; 斌 斌 bīn pin m; 辉 輝 huī hui m; 勇 勇 yǒng yung m; 杰 傑 jié chieh m;
    涛 濤 tāo t'ao m; 东 東 dōng tung m; 海 海 hǎi hai m; 林 林 lín lin n; 波 波 bō po m;
    峰 峰 fēng feng m; 鹏 鵬 péng p'eng m; 飞 飛 fēi fei m; 刚 剛 gāng kang m; 毅 毅 yì i m;
    成 成 chéng ch'eng m; 宇 宇 yǔ yü m; 晓 曉 xiǎo hsiao n; 新 新 xīn hsin n; 永 永 yǒng yung n;
    春 春 chūn ch'un n; 庆 慶 qìng ch'ing m; 光 光 guāng kuang m; 荣 榮 róng jung n; 振 振 zhèn chen m;
    福 福 fú fu m; 生 生 shēng sheng m; 清 清 qīng ch'ing n; 正 正 zhèng cheng m; 金 金 jīn chin n;
    良 良 liáng liang m; 俊 俊 jùn chün m; 立 立 lì li n; 仁 仁 rén jen m; 安 安 ān an n;
    和 和 hé ho n; 家 家 jiā chia n; 民 民 mín min m; 天 天 tiān t'ien m; 宏 宏 hóng hung m;
    红 紅 hóng hung f; 玉 玉 yù yü f; 丽 麗 lì li f; 芳 芳 fāng fang f; 娟 娟 juān chüan f;
    霞 霞 xiá hsia f; 秀 秀 xiù hsiu f; 英 英 yīng ying f; 梅 梅 méi mei f; 兰 蘭 lán lan f;
    燕 燕 yàn yen f; 萍 萍 píng p'ing f; 玲 玲 líng ling f; 静 靜 jìng ching f; 敏 敏 mǐn min f;
    婷 婷 tíng t'ing f; 雪 雪 xuě hsüeh f; 琳 琳 lín lin f; 慧 慧 huì hui f; 洁 潔 jié chieh f;
    云 雲 yún yün f; 凤 鳳 fèng feng f; 莉 莉 lì li f; 倩 倩 qiàn ch'ien f; 颖 穎 yǐng ying f;
    佳 佳 jiā chia f; 欣 欣 xīn hsin f; 淑 淑 shū shu f; 珍 珍 zhēn chen f; 琴 琴 qín ch'in f;
    桂 桂 guì kuei f; 晶 晶 jīng ching f; 翠 翠 cuì ts'ui f; 月 月 yuè yüeh f; 艳 艷 yàn yen f;
    惠 惠 huì hui f; 雅 雅 yǎ ya f; 亚 亞 yà ya n; 思 思 sī ssu n; 维 維 wéi wei m; 卫 衛 wèi wei m;
    宁 寧 níng ning n; 继 繼 jì chi m; 彬 彬 bīn pin m; 浩 浩 hào hao m; 磊 磊 lěi lei m;
    超 超 chāo ch'ao m; 洪 洪 hóng hung m; 贵 貴 guì kuei m; 武 武 wǔ wu m; 学 學 xué hsüeh m;
    长 長 cháng ch'ang m; 广 廣 guǎng kuang m; 喜 喜 xǐ hsi n; 友 友 yǒu yu m; 书 書 shū shu n;
    忠 忠 zhōng chung m; 先 先 xiān hsien m; 义 義 yì i m; 由 由 yóu yu m; 爱 愛 ài ai f;
    恩 恩 ēn en n; 鸥 鷗 ōu ou n"""
)
_PEN_CHARS = _table(
    """北 北 běi pei; 风 風 fēng feng; 山 山 shān shan; 水 水 shuǐ shui; 石 石 shí shih; 野 野 yě yeh;
    草 草 cǎo ts'ao; 雨 雨 yǔ yü; 冬 冬 dōng tung; 夜 夜 yè yeh; 狼 狼 láng lang; 火 火 huǒ huo;
    沙 沙 shā sha; 鸟 鳥 niǎo niao"""
)
_DHARMA = _table("""释 釋 shì shih; 慧 慧 huì hui; 净 淨 jìng ching; 明 明 míng ming; 觉 覺 jué chüeh;
    空 空 kōng k'ung; 真 真 zhēn chen; 法 法 fǎ fa; 悟 悟 wù wu; 心 心 xīn hsin; 圆 圓 yuán yüan""")
_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuüüüü")
_M_GIVEN = [g for g in _GIVEN if g[4] != "f"]
_F_GIVEN = [g for g in _GIVEN if g[4] != "m"]
_SURNAME_CUM: list[int] = []
_total = 0
for _s in _SURNAMES:
    _total += int(_s[4])
    _SURNAME_CUM.append(_total)


def _join_pinyin(syllables: list[str]) -> str:
    out = syllables[0]
    for syllable in syllables[1:]:
        # Hanyu Pinyin's apostrophe before a syllable that starts with a, o or e: Xi'an.
        out += ("'" + syllable) if syllable.translate(_TONES)[0] in "aoe" else syllable
    return out


# Uyghur given names: Uyghur Latin (ULY), Arabic script; sex
_UYGHUR = _table(
    """Ilham ئىلھام m; Abdurehim ئابدۇرېھىم m; Memet مەمەت m; Tursun تۇرسۇن m; Ablikim ئابلىكىم m;
    Nurmemet نۇرمەمەت m; Ekber ئەكبەر m; Erkin ئەركىن m; Alim ئالىم m; Qurban قۇربان m; Yasin ياسىن m;
    Abdulla ئابدۇللا m; Obul ئوبۇل m; Rozi روزى m; Tahir تاھىر m; Hoshur ھوشۇر m; Eli ئەلى m;
    Mutellip مۇتەللىپ m; Perhat پەرھات m; Ghopur غوپۇر m; Nijat نىجات m; Adil ئادىل m; Ablet ئابلەت m;
    Exmetjan ئەخمەتجان m; Dilshat دىلشات m; Memtimin مەمتىمىن m; Kamil كامىل m; Yalqun يالقۇن m;
    Ehmet ئەھمەت m; Sattar ساتتار m; Abduweli ئابدۇۋەلى m; Ayup ئايۇپ m; Tashpolat تاشپولات m;
    Halmurat ھالمۇرات m; Rishat رىشات m; Muhemmet مۇھەممەت m; Ismail ئىسمائىل m; Osman ئوسمان m;
    Yusup يۈسۈپ m; Hemit ھەمىت m; Ghulam غۇلام m; Abdukerim ئابدۇكېرىم m; Mamut مامۇت m; Niyaz نىياز m;
    Qadir قادىر m; Sabir سابىر m; Tohti توختى m; Rahman راخمان m; Imin ئىمىن m; Zunun زۇنۇن m;
    Gulmira گۇلمىرا f; Rahile راھىلە f; Mihrigul مېھرىگۈل f; Gulshan گۈلشەن f; Patigul پاتىگۈل f;
    Zumret زۇمرەت f; Ayshem ئايشەم f; Buzeynep بۇزەينەپ f; Mahire ماھىرە f; Nurbiye نۇربىيە f;
    Rizwangul رىزۋانگۈل f; Sanubar سانۇبەر f; Tursunay تۇرسۇناي f; Hebibe ھەبىبە f; Mukeddes مۇقەددەس f;
    Gulbahar گۈلباھار f; Dilnur دىلنۇر f; Aynur ئاينۇر f; Mayila مايىلا f; Zulpiye زۇلپىيە f;
    Horigul ھۆرىگۈل f; Renagul رەناگۈل f; Shahide شاھىدە f; Meryem مەريەم f"""
)
_UYGHUR_M = [u for u in _UYGHUR if u[2] == "m"]
_UYGHUR_F = [u for u in _UYGHUR if u[2] == "f"]
_UYGHUR_PEN = _table("Tarimlik تارىملىق; Bulaq بۇلاق; Yultuz يۇلتۇز; Qeshqerlik قەشقەرلىك; Anarbagh ئانارباغ")
# Kazakh names: Latin, Cyrillic; sex
_KAZAKH = _table(
    """Nurlan Нұрлан m; Erlan Ерлан m; Serik Серік m; Bolat Болат m; Asqar Асқар m; Dauren Дәурен m;
    Qairat Қайрат m; Marat Марат m; Erbol Ербол m; Zhanat Жанат m; Baqytzhan Бақытжан m; Nurbek Нұрбек m;
    Gulnar Гүлнар f; Aigul Айгүл f; Saule Сәуле f; Dina Дина f; Aizhan Айжан f; Gulzhan Гүлжан f;
    Zhanar Жанар f; Aliya Әлия f"""
)
_KAZAKH_M = [k for k in _KAZAKH if k[2] == "m"]
_KAZAKH_F = [k for k in _KAZAKH if k[2] == "f"]
# Mongol names: Latin, name in Chinese characters as used by officials; sex
_MONGOL = _table(
    """Bayar 巴雅尔 m; Batu 巴图 m; Sodnom 索德那木 m; Tumen 图门 m; Hasbagan 哈斯巴根 m; Buhe 布和 m;
    Altan 阿拉坦 m; Chagan 查干 m; Bator 巴特尔 m; Temur 铁木尔 m; Sechen 斯琴 m; Naran 娜仁 f;
    Saran 萨仁 f; Uyunga 乌云嘎 f; Gerel 格日乐 f; Tuya 图雅 f; Sarangerel 萨仁格日乐 f;
    Altantsetseg 阿拉坦其其格 f"""
)
_MONGOL_M = [g for g in _MONGOL if g[2] == "m"]
_MONGOL_F = [g for g in _MONGOL if g[2] == "f"]
# Tibetan name elements: THL Latin, Tibetan script, Wylie (with "_" for spaces); m / f / n, religious (r)
_TIBETAN = _table(
    """Tashi བཀྲ་ཤིས bkra_shis n; Dhondup དོན་གྲུབ don_grub m; Lobsang བློ་བཟང blo_bzang nr;
    Tsering ཚེ་རིང tshe_ring n; Tenzin བསྟན་འཛིན bstan_'dzin nr; Dorje རྡོ་རྗེ rdo_rje m; Sonam བསོད་ནམས bsod_nams n;
    Pema པདྨ pad+ma n; Kelsang སྐལ་བཟང skal_bzang n; Jampa བྱམས་པ byams_pa mr; Ngawang ངག་དབང ngag_dbang nr;
    Tsultrim ཚུལ་ཁྲིམས tshul_khrims nr; Phuntsok ཕུན་ཚོགས phun_tshogs m; Dawa ཟླ་བ zla_ba n; Nyima ཉི་མ nyi_ma n;
    Lhamo ལྷ་མོ lha_mo f; Dolma སྒྲོལ་མ sgrol_ma f; Yangchen དབྱངས་ཅན dbyangs_can f; Norbu ནོར་བུ nor_bu m;
    Gyatso རྒྱ་མཚོ rgya_mtsho mr; Palden དཔལ་ལྡན dpal_ldan n; Rinchen རིན་ཆེན rin_chen n;
    Choephel ཆོས་འཕེལ chos_'phel mr; Thupten ཐུབ་བསྟན thub_bstan nr; Gendun དགེ་འདུན dge_'dun mr;
    Lhundup ལྷུན་གྲུབ lhun_grub m; Karma ཀརྨ karma n; Wangchuk དབང་ཕྱུག dbang_phyug m; Yeshe ཡེ་ཤེས ye_shes nr;
    Namgyal རྣམ་རྒྱལ rnam_rgyal m; Chodron ཆོས་སྒྲོན chos_sgron fr; Drolkar སྒྲོལ་དཀར sgrol_dkar f;
    Kunga ཀུན་དགའ kun_dga' n; Gonpo མགོན་པོ mgon_po m; Samdrup བསམ་གྲུབ bsam_grub m; Tsomo མཚོ་མོ mtsho_mo f;
    Dekyi བདེ་སྐྱིད bde_skyid f; Jigme འཇིགས་མེད 'jigs_med m; Lodroe བློ་གྲོས blo_gros mr; Sherab ཤེས་རབ shes_rab nr;
    Kunchok དཀོན་མཆོག dkon_mchog nr; Tsundue བརྩོན་འགྲུས brtson_'grus m; Gyaltsen རྒྱལ་མཚན rgyal_mtshan mr;
    Losel བློ་གསལ blo_gsal n; Chime འཆི་མེད 'chi_med n"""
)
_TIB_FIRST = [t for t in _TIBETAN]
_TIB_M_SECOND = [t for t in _TIBETAN if "f" not in t[3]]
_TIB_F_SECOND = [t for t in _TIBETAN if "f" in t[3] or t[3] == "n"]
_TIB_RELIGIOUS = [t for t in _TIBETAN if "r" in t[3]]
_TIB_PEN = _table("Gangri གངས་རི gangs_ri; Lhari ལྷ་རི lha_ri; Drakmar བྲག་དམར brag_dmar; Tsonak མཚོ་ནག mtsho_nag")


def _tib(elements: list[tuple[str, ...]]) -> tuple[str, str, str]:
    return (
        " ".join(e[0] for e in elements),
        "་".join(e[1] for e in elements),
        " ".join(e[2].replace("_", " ") for e in elements),
    )


# -- places ----------------------------------------------------------------------------------------
# ethnicity group -> [(province, prefecture, [counties])]
_GEO: dict[str, list[tuple[str, str, list[str]]]] = {
    "han": [
        (
            "Beijing",
            "Beijing",
            ["Haidian District", "Chaoyang District", "Dongcheng District", "Fengtai District"],
        ),
        ("Shanghai", "Shanghai", ["Pudong New Area", "Xuhui District", "Jing'an District"]),
        ("Guangdong", "Guangzhou", ["Tianhe District", "Yuexiu District", "Panyu District"]),
        ("Guangdong", "Shenzhen", ["Futian District", "Nanshan District", "Bao'an District"]),
        ("Hubei", "Wuhan", ["Wuchang District", "Hongshan District", "Jianghan District"]),
        ("Hunan", "Changsha", ["Yuelu District", "Furong District"]),
        ("Hunan", "Shaoyang", ["Shuangqing District", "Xinshao County"]),
        ("Sichuan", "Chengdu", ["Jinjiang District", "Wuhou District", "Shuangliu District"]),
        ("Sichuan", "Suining", ["Chuanshan District", "Shehong City"]),
        ("Henan", "Zhengzhou", ["Jinshui District", "Zhongyuan District"]),
        ("Henan", "Zhoukou", ["Shenqiu County", "Xiangcheng City"]),
        ("Jiangsu", "Nanjing", ["Gulou District", "Qinhuai District"]),
        ("Jiangsu", "Suzhou", ["Gusu District", "Kunshan City"]),
        ("Zhejiang", "Hangzhou", ["Xihu District", "Shangcheng District"]),
        ("Zhejiang", "Wenzhou", ["Lucheng District", "Rui'an City"]),
        ("Shandong", "Jinan", ["Lixia District", "Shizhong District"]),
        ("Shandong", "Linyi", ["Yinan County", "Lanshan District"]),
        ("Hebei", "Shijiazhuang", ["Qiaoxi District", "Chang'an District"]),
        ("Hebei", "Baoding", ["Zhuozhou City", "Lianchi District"]),
        ("Fujian", "Fuzhou", ["Gulou District", "Cangshan District"]),
        ("Fujian", "Xiamen", ["Siming District", "Huli District"]),
        ("Liaoning", "Shenyang", ["Heping District", "Shenhe District"]),
        ("Heilongjiang", "Harbin", ["Nangang District", "Daoli District"]),
        ("Jilin", "Changchun", ["Chaoyang District", "Nanguan District"]),
        ("Guizhou", "Guiyang", ["Yunyan District", "Nanming District"]),
        ("Jiangxi", "Nanchang", ["Donghu District", "Xihu District"]),
        ("Shaanxi", "Xi'an", ["Yanta District", "Beilin District"]),
        ("Yunnan", "Kunming", ["Panlong District", "Wuhua District"]),
        ("Guangxi", "Nanning", ["Qingxiu District", "Xingning District"]),
        ("Chongqing", "Chongqing", ["Yuzhong District", "Shapingba District"]),
        ("Tianjin", "Tianjin", ["Heping District", "Hexi District"]),
        ("Anhui", "Hefei", ["Shushan District", "Luyang District"]),
    ],
    "uyghur": [
        ("Xinjiang", "Urumqi", ["Tianshan District", "Saybagh District", "Shayibake District"]),
        ("Xinjiang", "Kashgar", ["Kashgar City", "Yarkand County", "Kargilik County", "Peyzawat County"]),
        ("Xinjiang", "Hotan", ["Hotan City", "Hotan County", "Karakax County", "Lop County"]),
        ("Xinjiang", "Aksu", ["Aksu City", "Kuchar County", "Onsu County"]),
        ("Xinjiang", "Ili", ["Yining City", "Yining County", "Qapqal County"]),
        ("Xinjiang", "Turpan", ["Gaochang District", "Toksun County"]),
    ],
    "kazakh": [
        ("Xinjiang", "Ili", ["Yining County", "Tekes County", "Nilka County"]),
        ("Xinjiang", "Altay", ["Altay City", "Burqin County", "Koktokay County"]),
        ("Xinjiang", "Tacheng", ["Tacheng City", "Dorbiljin County"]),
    ],
    "tibetan": [
        ("Tibet", "Lhasa", ["Chengguan District", "Dagze District", "Medro Gongkar County"]),
        ("Tibet", "Shigatse", ["Samdrubtse District", "Lhatse County"]),
        ("Tibet", "Nagchu", ["Driru County", "Sog County"]),
        ("Tibet", "Chamdo", ["Karub District", "Jomda County"]),
        ("Qinghai", "Yushu", ["Yushu City", "Nangchen County"]),
        ("Qinghai", "Golog", ["Machen County", "Darlag County"]),
        ("Qinghai", "Malho", ["Rebkong County", "Tsekhog County"]),
        ("Sichuan", "Ngaba", ["Ngaba County", "Barkam City", "Dzamthang County"]),
        ("Sichuan", "Kardze", ["Kardze County", "Serthar County", "Dartsedo City"]),
        ("Gansu", "Kanlho", ["Sangchu County", "Machu County"]),
    ],
    "mongol": [
        ("Inner Mongolia", "Xilingol", ["Xilinhot City", "Abag Banner", "West Ujimqin Banner"]),
        ("Inner Mongolia", "Tongliao", ["Horqin District", "Jarud Banner"]),
        ("Inner Mongolia", "Hohhot", ["Xincheng District", "Saihan District"]),
        ("Inner Mongolia", "Ordos", ["Dongsheng District", "Otog Banner"]),
    ],
    "hui": [
        ("Ningxia", "Yinchuan", ["Xingqing District", "Jinfeng District"]),
        ("Ningxia", "Wuzhong", ["Tongxin County", "Litong District"]),
        ("Gansu", "Linxia", ["Linxia City", "Guanghe County"]),
        ("Qinghai", "Xining", ["Chengdong District", "Huangzhong District"]),
        ("Henan", "Zhengzhou", ["Guancheng Hui District"]),
    ],
}

# -- occupations and what happens to them ----------------------------------------------------------
# article -> charge as written
_CHARGES = {
    "105(1)": "subversion of state power",
    "105(2)": "inciting subversion of state power",
    "103(1)": "splitting the country",
    "103(2)": "inciting splittism",
    "111": "illegally providing state secrets or intelligence overseas",
    "293": "picking quarrels and provoking trouble",
    "290": "gathering a crowd to disturb social order",
    "300": "organising or using a cult to undermine implementation of the law",
    "120": "organising, leading or participating in a terrorist organisation",
    "120-3": "advocating terrorism and extremism",
    "249": "inciting ethnic hatred",
    "225": "illegal business operations",
    "266": "fraud",
    "277": "obstructing official duties",
}
# occupation, weight, ethnic groups, charges to draw from, issue category, organisations, measure mix key
_PROFILES: list[tuple[str, int, str, tuple[str, ...], str, tuple[str, ...]]] = [
    (
        "lawyer",
        6,
        "han hui",
        ("105(1)", "105(2)", "293"),
        "rights defence",
        ("Tianyuan Law Firm", "Rights Defence Lawyers Network", "Citizens' Constitution Society"),
    ),
    (
        "journalist",
        4,
        "han uyghur mongol",
        ("105(2)", "111", "293"),
        "speech/expression",
        ("Open Window Study Group", "Riverside Press Collective"),
    ),
    ("blogger", 5, "han hui", ("105(2)", "293"), "speech/expression", ("Open Window Study Group",)),
    (
        "writer",
        4,
        "han uyghur tibetan mongol",
        ("105(2)", "103(2)", "249"),
        "speech/expression",
        ("Independent Writers' Circle", "Snowland Language Association"),
    ),
    (
        "teacher",
        7,
        "han uyghur tibetan mongol kazakh",
        ("103(2)", "105(2)", "300", "249"),
        "education",
        (
            "Snowland Language Association",
            "Kashgar Scholars' Circle",
            "Southern Grassland Herders' Association",
        ),
    ),
    (
        "scholar",
        3,
        "han uyghur tibetan",
        ("103(1)", "103(2)", "105(2)", "111"),
        "speech/expression",
        ("Kashgar Scholars' Circle", "Citizens' Constitution Society"),
    ),
    ("petitioner", 8, "han", ("293", "290", "277"), "petitioning", ("Harmony Party",)),
    (
        "farmer",
        9,
        "han uyghur tibetan hui kazakh",
        ("293", "290", "300", "120-3"),
        "land rights",
        ("Southern Grassland Herders' Association",),
    ),
    (
        "herder",
        4,
        "tibetan mongol kazakh",
        ("290", "293", "103(2)"),
        "land rights",
        ("Southern Grassland Herders' Association",),
    ),
    (
        "monk",
        9,
        "tibetan",
        ("103(2)", "293", "103(1)"),
        "ethnic/religious: Tibetan",
        ("Snowland Language Association",),
    ),
    ("nun", 3, "tibetan", ("103(2)", "293"), "ethnic/religious: Tibetan", ()),
    ("Buddhist monk", 1, "han", ("300", "266"), "religion: Buddhism", ()),
    ("imam", 3, "uyghur hui kazakh", ("120-3", "249", "293"), "ethnic/religious: Uyghur", ()),
    (
        "pastor",
        3,
        "han",
        ("293", "225", "266"),
        "religion: Protestant",
        ("Evergreen House Church", "Morning Star Reformed Church"),
    ),
    (
        "businessman",
        5,
        "han uyghur hui kazakh",
        ("225", "266", "120-3", "105(2)"),
        "other",
        ("Silk Road Traders' Association",),
    ),
    (
        "businesswoman",
        3,
        "han uyghur hui",
        ("225", "266", "105(2)"),
        "other",
        ("Silk Road Traders' Association",),
    ),
    (
        "student",
        6,
        "han uyghur tibetan mongol",
        ("103(2)", "105(2)", "120-3", "293"),
        "speech/expression",
        ("Open Window Study Group", "New Youth Reading Club"),
    ),
    ("labour activist", 3, "han", ("293", "290"), "labour", ("New Dawn Workers' Centre",)),
    (
        "democracy activist",
        4,
        "han",
        ("105(1)", "105(2)"),
        "democracy",
        ("China Democracy Forum", "Harmony Party", "Citizens' Constitution Society"),
    ),
    ("doctor", 2, "han uyghur", ("111", "120-3", "293"), "other", ()),
    ("retired engineer", 3, "han", ("300", "293"), "religion: Falun Gong", ()),
]
_PROFILE_BY_GROUP: dict[str, list[tuple]] = {}
for _p in _PROFILES:
    for _g in _p[2].split():
        _PROFILE_BY_GROUP.setdefault(_g, []).extend([_p] * _p[1])
_ETHNIC = (("han", 42), ("uyghur", 28), ("tibetan", 20), ("hui", 4), ("mongol", 3), ("kazakh", 3))
_ETHNIC_POOL = [g for g, w in _ETHNIC for _ in range(w)]
_ETHNICITY = {
    "han": "Han",
    "uyghur": "Uyghur",
    "tibetan": "Tibetan",
    "hui": "Hui",
    "mongol": "Mongol",
    "kazakh": "Kazakh",
}
_LANGUAGE = {"han": "zh", "uyghur": "ug", "tibetan": "bo", "hui": "zh", "mongol": "mn", "kazakh": "kk"}
_ROLES = (
    "member",
    "member",
    "member",
    "co-founder",
    "founder",
    "volunteer",
    "director",
    "spokesperson",
    "editor",
    "council member",
)
_HEALTH = (
    ("hepatitis B", "had been diagnosed with hepatitis B before detention"),
    ("Parkinson's disease", "shows symptoms of Parkinson's disease"),
    ("heart disease", "suffers from heart disease"),
    ("hypertension", "suffers from high blood pressure"),
    ("diabetes", "has diabetes and has not received insulin regularly"),
    ("tuberculosis", "contracted tuberculosis in custody"),
    ("kidney failure", "suffers from kidney failure"),
    ("depression", "has been treated for severe depression"),
    ("liver cancer", "was diagnosed with late-stage liver cancer"),
    ("weight loss", "has lost more than 20 kilograms"),
    ("injury to the spine", "can no longer walk unaided after an injury to the spine"),
)
_ALLEGATIONS = (
    ("torture", None, "was beaten and deprived of sleep during interrogation"),
    ("torture", None, "was held in a tiger chair for days"),
    ("denial_of_medical_care", None, "was denied medical treatment"),
    ("incommunicado", None, "was held incommunicado and denied access to a lawyer of the family's choosing"),
    (
        "arbitrary_detention",
        2,
        "is detained solely for peacefully exercising the right to freedom of expression",
    ),
    (
        "arbitrary_detention",
        3,
        "did not receive a fair trial: the hearing was closed and the lawyer dismissed",
    ),
    ("arbitrary_detention", 5, "is detained on discriminatory grounds of ethnicity and religion"),
    ("arbitrary_detention", 1, "remains held without any legal basis"),
    ("religious_persecution", None, "was pressured to renounce their faith"),
    ("enforced_disappearance", None, "the authorities refused to disclose where they are held"),
)
_PUBLISHERS = {
    "news": ("Example Wire", "Harbour Daily", "Eastern Star Times", "Continental Post"),
    "ngo_report": ("Rights Monitor Asia", "Prisoner Watch International"),
    "state_media": ("People's Herald", "Legal Daily News", "Xinjiang Daily Online", "Tianshan Net"),
    "verdict": ("China Judgments Archive",),
    "testimony": ("Rights Monitor Asia",),
    "un_document": ("UN Working Group on Arbitrary Detention",),
}
_NGO_BY_GROUP = {
    "tibetan": ("Tibet Rights Desk",),
    "uyghur": ("Uyghur Rights Archive",),
    "kazakh": ("Uyghur Rights Archive",),
    "mongol": ("Southern Mongolia Watch",),
    "han": ("Defenders' Network China",),
}
_RELIABILITY = {
    "news": "BBC",
    "ngo_report": "BB",
    "state_media": "CD",
    "verdict": "AB",
    "testimony": "CDF",
    "un_document": "B",
}
_REPORTERS = ("Staff Reporter", "Anna Lindqvist", "Tom Okafor", "Mei Ling Chan", "David Hart", "Sara Novak")


# -- the text builder ------------------------------------------------------------------------------
class _Rng(random.Random):
    """``choice`` without the rejection sampling of the standard one (twice as fast; bias negligible)."""

    def choice(self, seq):  # type: ignore[no-untyped-def, override]
        return seq[int(self.random() * len(seq))]


class _Doc:
    """Text written piece by piece; ``add`` returns the span of the piece it appended."""

    __slots__ = ("n", "parts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.n = 0

    def add(self, piece: str) -> tuple[int, int]:
        start = self.n
        self.parts.append(piece)
        self.n = start + len(piece)
        return (start, self.n)

    def replace_last(self, piece: str) -> None:
        """Replace the last piece (a separator no span points into)."""
        self.n += len(piece) - len(self.parts[-1])
        self.parts[-1] = piece

    def text(self) -> str:
        return "".join(self.parts)


def _sub(span: tuple[int, int], sentence: str, words: str) -> tuple[int, int]:
    """The span of ``words`` inside a sentence added at ``span``."""
    at = span[0] + sentence.index(words)
    return (at, at + len(words))


def _add_months(ordinal: int, months: int) -> int:
    day = dt.date.fromordinal(ordinal)
    y, m = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + y, m + 1, min(day.day, 28)).toordinal()


class _When:
    """A day as a report states it: the EDTF value and the words."""

    __slots__ = ("edtf", "ord", "words", "year")

    def __init__(
        self, rng: random.Random, ordinal: int, weights: tuple[float, float, float] = (0.5, 0.8, 0.95)
    ):
        day = dt.date.fromordinal(ordinal)
        self.ord, self.year = ordinal, day.year
        r = rng.random()
        if r < weights[0]:
            self.edtf = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
            self.words = f"on {day.day} {MONTHS[day.month]} {day.year}"
        elif r < weights[1]:
            self.edtf = f"{day.year:04d}-{day.month:02d}"
            self.words = f"in {MONTHS[day.month]} {day.year}"
        elif r < weights[2]:
            self.edtf = f"{day.year:04d}"
            self.words = f"in {day.year}"
        elif r < (1 + weights[2]) / 2:
            self.edtf = f"{day.year:04d}-{day.month:02d}~"
            self.words = f"in or around {MONTHS[day.month]} {day.year}"
        else:
            self.edtf = f"{day.year:04d}~"
            self.words = f"around {day.year}"


# -- one person ------------------------------------------------------------------------------------
class _Case:
    """What the generator decided happened to one person, before any text is written."""

    __slots__ = (
        "age",
        "allegations",
        "birth",
        "changes",
        "charges",
        "conf",
        "county",
        "custody",
        "det",
        "ethnic",
        "extra",
        "group",
        "he",
        "health",
        "his",
        "issue",
        "kind",
        "latn",
        "measure",
        "names",
        "native",
        "number",
        "occupation",
        "org",
        "pen",
        "place",
        "prefecture",
        "province",
        "religion",
        "religious",
        "sentence",
        "sex",
        "statuses",
        "steps",
    )

    age: int
    allegations: list[Any]
    birth: Any
    changes: list[Any]
    charges: list[Any]
    conf: int
    county: str
    custody: list[Any]
    det: _When
    ethnic: str
    extra: list[Any]
    group: str
    he: str
    health: list[Any]
    his: str
    issue: str
    kind: str
    latn: str
    measure: str
    names: list[tuple]
    native: str
    number: int
    occupation: str
    org: Any
    pen: str | None
    place: Any
    prefecture: str
    province: str
    religion: str
    religious: str | None
    sentence: list[Any] | None
    sex: str
    statuses: list[Any]
    steps: list[Any]


def _han_name(rng: random.Random, sex: str, hui: bool) -> tuple[list[tuple], str, str]:
    """Names of a Han (or Hui) person; returns (names, Latin main, native main)."""
    if hui:
        surname = rng.choice(_HUI_SURNAMES)
    else:
        pick = rng.random() * _total
        lo, hi = 0, len(_SURNAME_CUM) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if _SURNAME_CUM[mid] > pick:
                hi = mid
            else:
                lo = mid + 1
        surname = _SURNAMES[lo]
    pool = _M_GIVEN if sex == "M" else _F_GIVEN
    given = [rng.choice(pool)] if rng.random() < 0.3 else [rng.choice(pool), rng.choice(pool)]
    hans = surname[0] + "".join(g[0] for g in given)
    hant = surname[1] + "".join(g[1] for g in given)
    tone = surname[2].capitalize() + " " + _join_pinyin([g[2] for g in given]).capitalize()
    plain = tone.translate(_TONES)
    names: list[tuple] = [(plain, "main", "Latn", "pinyin", "zh"), (hans, "main", "Hans", "", "zh")]
    r = rng.random()
    if r < 0.25:
        names.append((tone, "romanisation", "Latn", "pinyin", "zh"))
    if 0.15 < r < 0.35 and hant != hans:
        names.append((hant, "alias", "Hant", "", "zh"))
    if r > 0.93:
        wg = surname[3].capitalize() + " " + "-".join(g[3] for g in given).capitalize()
        names.append((wg, "romanisation", "Latn", "wade_giles", "zh"))
    return names, plain, hans


def _case(rng: random.Random, number: int) -> _Case:
    c = _Case()
    c.number = number
    r = rng.random
    choice = rng.choice
    group = c.group = choice(_ETHNIC_POOL)
    profile = choice(_PROFILE_BY_GROUP[group])
    occupation = profile[0]
    if occupation in ("nun", "businesswoman"):
        sex = "F"
    elif occupation in ("monk", "imam", "Buddhist monk", "businessman"):
        sex = "M"
    else:
        sex = "F" if r() < 0.3 else "M"
    c.sex, c.occupation, c.issue = sex, occupation, profile[4]
    c.he, c.his = ("he", "his") if sex == "M" else ("she", "her")
    c.ethnic = _ETHNICITY[group]
    c.province, c.prefecture, counties = choice(_GEO[group])
    c.county = choice(counties)
    c.religion = ""
    c.religious = c.pen = None
    c.extra = []
    # names
    if group in ("han", "hui"):
        names, latn, native = _han_name(rng, sex, group == "hui")
        if group == "hui" or occupation == "imam":
            c.religion = "Islam"
        elif occupation == "Buddhist monk":
            c.religion = "Buddhism"
            d1, d2 = choice(_DHARMA[1:]), choice(_DHARMA[1:])
            c.religious = "释" + d1[0] + d2[0]
            rel_latn = "Shi " + _join_pinyin([d1[2], d2[2]]).translate(_TONES).capitalize()
            names.append((c.religious, "religious", "Hans", "", "zh"))
            names.append((rel_latn, "religious", "Latn", "pinyin", "zh"))
        elif occupation == "pastor" or (profile[4] == "rights defence" and r() < 0.2):
            c.religion = "Protestant"
        elif occupation == "retired engineer" or (occupation in ("teacher", "farmer") and r() < 0.35):
            c.religion = "Falun Gong"
            c.issue = "religion: Falun Gong"
        elif r() < 0.05:
            c.religion = "Catholic"
        if occupation in ("writer", "blogger") and r() < 0.6:
            p1, p2 = choice(_PEN_CHARS), choice(_PEN_CHARS)
            c.pen = p1[0] + p2[0]
            names.append((c.pen, "pen", "Hans", "", "zh"))
            names.append(
                (_join_pinyin([p1[2], p2[2]]).translate(_TONES).capitalize(), "pen", "Latn", "pinyin", "zh")
            )
    elif group in ("uyghur", "kazakh"):
        table = (
            (_UYGHUR_M if sex == "M" else _UYGHUR_F)
            if group == "uyghur"
            else (_KAZAKH_M if sex == "M" else _KAZAKH_F)
        )
        father = choice(_UYGHUR_M if group == "uyghur" else _KAZAKH_M)
        own = choice(table)
        latn = f"{own[0]} {father[0]}"
        native = f"{own[1]} {father[1]}"
        if group == "uyghur":
            names = [(latn, "main", "Latn", "uly", "ug"), (native, "main", "Arab", "", "ug")]
        else:
            names = [(latn, "main", "Latn", "other", "kk"), (native, "main", "Cyrl", "", "kk")]
        c.religion = "Islam"
        if occupation == "writer" and group == "uyghur":
            pen = choice(_UYGHUR_PEN)
            c.pen = pen[0]
            names.append((pen[0], "pen", "Latn", "uly", "ug"))
            names.append((pen[1], "pen", "Arab", "", "ug"))
    elif group == "tibetan":
        first = choice(_TIB_FIRST)
        second = choice(_TIB_M_SECOND if sex == "M" else _TIB_F_SECOND)
        while second is first:
            second = choice(_TIB_M_SECOND if sex == "M" else _TIB_F_SECOND)
        latn, native, wylie = _tib([first, second])
        names = [(latn, "main", "Latn", "thl", "bo"), (native, "main", "Tibt", "", "bo")]
        if r() < 0.2:
            names.append((wylie, "romanisation", "Latn", "wylie", "bo"))
        c.religion = "Tibetan Buddhism"
        if occupation in ("monk", "nun"):
            r1 = choice(_TIB_RELIGIOUS)
            r2 = choice(_TIB_RELIGIOUS if sex == "M" else _TIB_F_SECOND)
            if r2 is not r1:
                rl, rn, _wylie = _tib([r1, r2])
                c.religious = rl
                names.append((rl, "religious", "Latn", "thl", "bo"))
                names.append((rn, "religious", "Tibt", "", "bo"))
        elif occupation == "writer" and r() < 0.7:
            pen = choice(_TIB_PEN)
            c.pen = pen[0]
            names.append((pen[0], "pen", "Latn", "thl", "bo"))
            names.append((pen[1], "pen", "Tibt", "", "bo"))
    else:  # mongol
        own = choice(_MONGOL_M if sex == "M" else _MONGOL_F)
        latn, native = own[0], own[1]
        names = [(latn, "main", "Latn", "other", "mn"), (native, "alias", "Hans", "", "zh")]
        c.religion = "Tibetan Buddhism" if r() < 0.4 else ""
    c.names, c.latn, c.native = names, latn, native

    # detention: mostly the 2010s; re-education camps 2017-2019
    if group in ("uyghur", "kazakh") and r() < 0.45:
        measure = "reeducation"
        start = dt.date(2017, 3, 1).toordinal() + int(r() * 900)
    else:
        start = _D1999 + int((r() ** 0.7) * (_AS_OF - 400 - _D1999))
        m = r()
        if profile[4] == "petitioning":
            measure = ("administrative", "black_jail", "psychiatric", "criminal_detention")[int(r() * 4)]
        elif (occupation == "lawyer" and m < 0.5) or (profile[4] == "democracy" and m < 0.3):
            measure = "rsdl"
        elif m < 0.08:
            measure = "enforced_disappearance"
        elif m < 0.2:
            measure = "formal_arrest"
        else:
            measure = "criminal_detention"
    c.measure = measure
    age = 19 + int(r() * r() * 55)
    if occupation in ("student",):
        age = 18 + int(r() * 7)
    elif occupation in ("retired engineer",):
        age = 60 + int(r() * 15)
    c.age = age
    birth_year = dt.date.fromordinal(start).year - age
    b = r()
    c.birth = (
        f"{birth_year:04d}"
        if b < 0.5
        else f"{birth_year:04d}-{1 + int(r() * 12):02d}"
        if b < 0.7
        else f"{birth_year:04d}-{1 + int(r() * 12):02d}-{1 + int(r() * 28):02d}"
        if b < 0.9
        else None
    )
    c.det = _When(rng, start)
    c.place = _place(rng, c, measure)
    # conviction path
    c.steps, c.charges, c.custody, c.changes, c.statuses = [], [], [], [], []
    c.sentence = None
    held_until = None  # ordinal of release when known
    c.statuses.append(("detained" if measure != "enforced_disappearance" else "disappeared", c.det, 0))
    tried = measure not in ("administrative", "black_jail", "psychiatric", "reeducation") and r() < 0.8
    if measure == "reeducation" and r() < 0.35:
        tried = True
    tried = (
        tried and start < _AS_OF - 1150
    )  # the whole court process fits before AS_OF  # a camp detainee later sentenced
    if measure == "administrative":
        held_until = start + 10 + int(r() * 5) * 5
    elif measure in ("black_jail", "psychiatric"):
        held_until = start + 20 + int(r() * 400) if r() < 0.7 else None
    if tried:
        pool = profile[3]
        articles = [choice(pool)]
        if r() < 0.25:
            second_article = choice(pool)
            if second_article != articles[0]:
                articles.append(second_article)
        if group in ("uyghur", "kazakh") and r() < 0.3:
            articles = ["120-3" if start > _D2015_11 else "103(2)"]
        c.charges = [(_CHARGES[a], a) for a in articles]
        court_pref = f"{c.prefecture} Intermediate People's Court"
        court_county = f"{c.county} People's Court"
        serious = any(a in ("105(1)", "103(1)", "111", "120") for a in articles)
        court = court_pref if serious or r() < 0.5 else court_county
        t = start + 30 + int(r() * 60)
        if measure in ("rsdl", "enforced_disappearance"):
            t += 150 + int(r() * 120)
        c.steps.append(("formal_arrest", _When(rng, t), "", "approved by the procuratorate"))
        t += 90 + int(r() * 300)
        if r() < 0.6:
            c.steps.append(("indictment", _When(rng, t), "", ""))
        t += 30 + int(r() * 200)
        trial = _When(rng, t, (0.7, 0.9, 1.0))
        c.steps.append(("trial", trial, court, "closed hearing" if r() < 0.4 else ""))
        t += int(r() * 150)
        pronounced = _When(rng, t, (0.65, 0.95, 1.0))
        # the term
        top = max(_TERM.get(a, (12, 60)) for a in articles)
        kind, months, pol_months, pol_life = "fixed", top[0] + int(r() * (top[1] - top[0])), None, False
        k = r()
        if "120" in articles and k < 0.06:
            kind, pol_life = ("death_reprieve", True) if k < 0.05 else ("death", True)
        elif top[1] >= 180 and k < 0.04:
            kind, pol_life = "life", True
        elif top[1] <= 60 and k < 0.1:
            kind = "suspended"
        if kind == "fixed" and months >= 36 and r() < 0.7:
            pol_months = 12 * (1 + int(r() * 5))
        # Only a fixed or suspended sentence has a term in months.
        term = months if kind in ("fixed", "suspended") else None
        c.sentence = [kind, term, pol_months, pol_life, pronounced, court]
        c.steps.append(("sentence", pronounced, court, ""))
        if r() < 0.35:
            appeal = _When(rng, pronounced.ord + 20 + int(r() * 60), (0.3, 0.9, 1.0))
            ruling = _When(rng, appeal.ord + 60 + int(r() * 120))
            if ruling.ord < _AS_OF:
                c.steps.append(("appeal", appeal, f"{c.province} High People's Court", ""))
                c.steps.append(
                    ("appeal_ruling", ruling, f"{c.province} High People's Court", "appeal rejected")
                )
        prison = _prison(rng, c)
        c.custody = [(c.place, c.det, pronounced)] if c.place else []
        c.custody.append((prison, pronounced, None))
        if kind == "suspended":
            held_until = pronounced.ord
        elif kind == "fixed":
            end = _add_months(start, months)
            if r() < 0.2 and months > 24:
                cut = 3 + int(r() * min(months // 6, 24))
                when = _When(rng, start + int((end - start) * (0.4 + r() * 0.4)), (0.3, 0.9, 1.0))
                if when.ord < _AS_OF:
                    c.changes.append(("reduction", when, cut, "", None, ""))
                    end = _add_months(end, -cut)
            if r() < 0.04 and months > 36:
                when = _When(rng, start + int((end - start) * r()), (0.5, 0.95, 1.0))
                if when.ord < _AS_OF:
                    c.changes.append(("medical_parole", when, 0, "", None, "released on medical parole"))
                    end = when.ord
            held_until = end
        elif kind in ("death_reprieve", "life") and r() < 0.5:
            when = _When(rng, pronounced.ord + 730 + int(r() * 400), (0.3, 0.9, 1.0))
            if when.ord < _AS_OF:
                if kind == "death_reprieve":
                    c.changes.append(("commutation", when, 0, "life", None, "commuted to life imprisonment"))
                else:
                    c.changes.append(("commutation", when, 0, "fixed", 240, "commuted to 20 years"))
    elif measure in ("rsdl", "criminal_detention", "formal_arrest") and r() < 0.7:
        held_until = start + 30 + int(r() * 300)  # released on bail or without charge
    elif measure == "reeducation" and r() < 0.4:
        held_until = start + 200 + int(r() * 700)
    if not c.custody and c.place:
        c.custody = [(c.place, c.det, None)]
    # later statuses
    s = r()
    if held_until is not None and held_until < _AS_OF:
        if s < 0.03:
            c.statuses.append(("deceased", _When(rng, start + int((held_until - start) * r())), 0))
        elif s < 0.12 and c.sentence:
            # term served, no news of release: whereabouts unknown (and, on paper, overdue)
            c.statuses.append(
                ("unknown", _When(rng, min(_AS_OF - 1, held_until + 30 + int(r() * 300)), (0.0, 0.6, 1.0)), 0)
            )
        elif s < 0.22 and c.sentence:
            pass  # still held after the end of the term: no news at all
        else:
            released = _When(rng, held_until, (0.55, 0.9, 0.97))
            c.statuses.append(("released", released, 0))
            if r() < 0.12:
                c.statuses.append(
                    (
                        "house_arrest",
                        _When(rng, min(_AS_OF - 1, released.ord + 1 + int(r() * 20)), (0.2, 0.9, 1.0)),
                        -1,
                    )
                )
    elif measure == "reeducation" and s < 0.3:
        c.statuses.append(
            ("unknown", _When(rng, min(_AS_OF - 1, start + 365 + int(r() * 900)), (0.0, 0.5, 1.0)), 0)
        )
    # health, allegations, affiliation
    c.health = []
    if r() < 0.25:
        condition = choice(_HEALTH)
        c.health.append((condition[0], condition[1], _When(rng, start + int(r() * 600), (0.1, 0.7, 0.9))))
    c.allegations = []
    if r() < 0.45:
        allegation = choice(_ALLEGATIONS)
        if allegation[1] == 1 and not c.sentence:
            allegation = _ALLEGATIONS[4]
        c.allegations.append(allegation)
    c.org = None
    if profile[5] and r() < 0.4:
        role = choice(_ROLES)
        c.org = (choice(profile[5]), role, _When(rng, start - 200 - int(r() * 3000), (0.0, 0.3, 0.9)))
    # source kind and confidentiality
    k = r()
    unofficial = measure in ("enforced_disappearance", "black_jail", "psychiatric")
    if c.sentence and k < 0.1:
        c.kind = "verdict"
    elif ((c.sentence and k < 0.2) or k < 0.05) and not unofficial:
        c.kind = "state_media"
    elif k < 0.3:
        c.kind = "testimony"
    elif k < 0.35:
        c.kind = "un_document"
    elif k < 0.65:
        c.kind = "ngo_report"
    else:
        c.kind = "news"
    conf = r()
    if c.kind == "testimony":
        c.conf = 2 if conf < 0.5 else 1
    elif c.kind in ("verdict", "state_media", "un_document"):
        c.conf = 0 if conf < 0.5 else 1
    else:
        c.conf = 0 if conf < 0.12 else 2 if conf > 0.97 else 1
    return c


# article -> (shortest, longest) fixed term in months
_TERM = {
    "105(1)": (84, 180),
    "105(2)": (36, 168),
    "103(1)": (120, 240),
    "103(2)": (24, 180),
    "111": (60, 180),
    "293": (12, 60),
    "290": (12, 60),
    "300": (36, 120),
    "120": (120, 240),
    "120-3": (60, 180),
    "249": (24, 120),
    "225": (24, 84),
    "266": (24, 120),
    "277": (6, 36),
}


def _place(rng: random.Random, c: _Case, measure: str) -> PlaceIn | None:
    county, pref, prov = c.county, c.prefecture, c.province
    base = county.rsplit(" ", 1)[0]
    if measure in ("criminal_detention", "formal_arrest"):
        return PlaceIn(f"{base} Detention Centre", "detention_centre", "CN", prov, pref, county)
    if measure == "administrative":
        return PlaceIn(
            f"{base} Administrative Detention Centre", "administrative_detention", "CN", prov, pref, county
        )
    if measure == "reeducation":
        n = 1 + int(rng.random() * 4)
        return PlaceIn(
            f"{base} Vocational Skills Education and Training Centre No. {n}",
            "reeducation",
            "CN",
            prov,
            pref,
            county,
        )
    if measure == "rsdl":
        return PlaceIn(f"{pref} Public Security Bureau RSDL site", "rsdl_site", "CN", prov, pref, "")
    if measure == "psychiatric":
        return PlaceIn(f"{pref} Ankang Hospital", "psychiatric", "CN", prov, pref, "")
    if measure == "black_jail":
        return PlaceIn(f"{base} Legal Education Centre", "black_jail", "CN", prov, pref, county)
    return None


def _prison(rng: random.Random, c: _Case) -> PlaceIn:
    r = rng.random()
    if c.sex == "F" and r < 0.6:
        return PlaceIn(f"{c.province} Women's Prison", "prison", "CN", c.province, "", "")
    if r < 0.5:
        return PlaceIn(f"{c.province} No. {1 + int(rng.random() * 5)} Prison", "prison", "CN", c.province)
    return PlaceIn(f"{c.prefecture} Prison", "prison", "CN", c.province, c.prefecture)


# -- writing the source ----------------------------------------------------------------------------
_MEASURE_WORDS = {
    "criminal_detention": "criminally detained",
    "formal_arrest": "arrested",
    "rsdl": "placed under residential surveillance at a designated location",
    "administrative": "given administrative detention",
    "reeducation": "sent to a re-education facility",
    "enforced_disappearance": "taken away by plainclothes police",
    "psychiatric": "forcibly committed to a psychiatric hospital",
    "black_jail": "seized by local officials and held in an unofficial detention site",
}
_OFFICIAL_MEASURE_WORDS = _MEASURE_WORDS | {
    "reeducation": "enrolled at a vocational skills education and training centre",
    "administrative": "given administrative detention by the public security organs",
}
_NEWS_SECTIONS = (
    "Home | World | Asia | China",
    "Home | News | World | Asia-Pacific",
    "World > Asia > China",
    "Skip to main content\nHome | World | Asia",
)


def _term_words(months: int) -> str:
    years, rest = divmod(months, 12)
    if not rest:
        return f"{years} years" if years != 1 else "one year"
    months_words = f"{rest} months" if rest > 1 else "one month"
    if not years:
        return months_words
    return f"{years} years and {months_words}" if years > 1 else f"one year and {months_words}"


def _since(when: _When) -> str:
    """'since ...' from a date's words: 'in 2005' -> '2005', 'in or around May 2005' -> 'around May 2005'."""
    words = when.words
    if words.startswith("in or around "):
        return "around " + words[13:]
    if words.startswith(("in ", "on ")):
        return words[3:]
    return words


class _Spans:
    """Spans of the facts the text states, by fact."""

    __slots__ = (
        "affiliation",
        "allegations",
        "changes",
        "charges",
        "custody",
        "detention",
        "health",
        "names",
        "person",
        "sentence",
        "statuses",
        "steps",
    )

    def __init__(self) -> None:
        self.person: tuple[int, int] | None = None
        self.detention: tuple[int, int] | None = None
        self.sentence: tuple[int, int] | None = None
        self.affiliation: tuple[int, int] | None = None
        self.names: dict[int, tuple[int, int]] = {}
        self.steps: dict[int, tuple[int, int]] = {}
        self.charges: dict[int, tuple[int, int]] = {}
        self.custody: dict[int, tuple[int, int]] = {}
        self.changes: dict[int, tuple[int, int]] = {}
        self.statuses: dict[int, tuple[int, int]] = {}
        self.health: dict[int, tuple[int, int]] = {}
        self.allegations: dict[int, tuple[int, int]] = {}


def _write_case(rng: random.Random, c: _Case, doc: _Doc, register: str) -> tuple[_Spans, int]:
    """The paragraphs about one person; returns the spans and the last day the text speaks of."""
    sp = _Spans()
    add = doc.add
    he, his = c.he, c.his
    him = "him" if he == "he" else "her"
    He, His = he.capitalize(), his.capitalize()
    latn = c.latn
    last = c.det.ord
    names = c.names
    official = register in ("state_media", "verdict")
    where = c.county if c.prefecture == c.province else f"{c.county}, {c.prefecture}"
    native_shown = c.native != latn and names[1][0] == c.native
    det = c.det
    place = c.place
    # who they are, and the detention
    if official:
        sex_word = "male" if c.sex == "M" else "female"
        who = "Defendant " if register == "verdict" else ""
        born = f", born in {c.birth[:4]}" if c.birth else ""
        native = f" ({c.native})" if native_shown else ""
        job = f"formerly a {c.occupation}" if c.occupation != "petitioner" else "unemployed"
        intro = f"{who}{latn}{native}, {sex_word}{born}, of {c.ethnic} ethnicity, "
        intro += f"from {where}, {c.province}, {job}."
        sp.person = span = add(intro)
        sp.names[0] = _sub(span, intro, latn)
        if native:
            sp.names[1] = _sub(span, intro, c.native)
        add(" ")
        words = _OFFICIAL_MEASURE_WORDS.get(c.measure, "detained")
        if c.measure in ("criminal_detention", "formal_arrest", "rsdl"):
            charge = c.charges[0][0] if c.charges else "disturbing public order"
            sentence = f"{det.words.capitalize()}, {he} was {words} on suspicion of {charge}."
        else:
            sentence = f"{He} was {words} {det.words} in accordance with the law."
    else:
        native = f" ({c.native})" if native_shown else ""
        if register == "testimony":
            rel = ("my brother", "my sister") if rng.random() < 0.5 else ("my husband", "my wife")
            rel_word = rel[0] if c.sex == "M" else rel[1]
            intro = (
                f"I am giving this statement about {rel_word}, {latn}{native}, a {c.ethnic} {c.occupation} "
                f"from {where}."
            )
            sp.person = span = add(intro)
            add(" ")
            if c.measure == "enforced_disappearance":
                sentence = f"{He} was taken from home {det.words} and we have not seen {him} since."
            else:
                sentence = f"Police came for {him} {det.words}; {he} was {_MEASURE_WORDS[c.measure]}."
        else:
            intro = (
                f"{latn}{native}, a {c.age}-year-old {c.ethnic} {c.occupation} from {where}, {c.province},"
            )
            sp.person = span = add(intro)
            add(" ")
            if c.measure == "enforced_disappearance":
                sentence = f"was taken away by plainclothes police {det.words} and has not been seen since."
            else:
                held = f" and held at {place.name}" if place and rng.random() < 0.5 else ""
                sentence = f"was {_MEASURE_WORDS[c.measure]} {det.words}{held}."
        sp.names[0] = _sub(span, intro, latn)
        if native:
            sp.names[1] = _sub(span, intro, c.native)
    span = add(sentence)
    sp.detention = span
    sp.statuses[0] = span
    if place and c.custody and place.name in sentence:
        sp.custody[0] = span
    add(" ")
    # other names
    i = 2
    while i < len(names):
        text, kind, script, scheme, _language = names[i]
        # A religious or pen name in two scripts: "Huoshui (火水)".
        pair = i + 1 if i + 1 < len(names) and names[i + 1][1] == kind and kind in ("religious", "pen") else 0
        if pair and script != "Latn":
            i, pair = pair, i
            text = names[i][0]
        both = f"{text} ({names[pair][0]})" if pair else text
        if kind == "religious":
            phrase = f"{He} is also known by {his} religious name, {both}."
        elif kind == "pen":
            phrase = f"{He} writes under the pen name {both}."
        elif scheme == "wade_giles":
            phrase = f"Older reports spell the name {text}."
        elif kind == "romanisation":
            phrase = f"The name is also written {text}."
        else:
            phrase = f"The name also appears as {text}."
        span = add(phrase)
        sp.names[i] = _sub(span, phrase, text)
        if pair:
            sp.names[pair] = _sub(span, phrase, f"({names[pair][0]})")
            sp.names[pair] = (sp.names[pair][0] + 1, sp.names[pair][1] - 1)
        add(" ")
        i = max(i, pair) + 1
    if c.org and not official:
        org, role, since = c.org
        article = "an" if role[0] in "aeiou" else "a"
        phrase = f"{He} had been {article} {role} of the {org} since {_since(since)}."
        sp.affiliation = add(phrase)
        add(" ")
    # legal process
    sentence_data = c.sentence
    prison_at = len(c.custody) - 1 if sentence_data else -1
    for i, (kind, when, court, outcome) in enumerate(c.steps):
        if kind == "formal_arrest":
            phrase = f"{He} was formally arrested {when.words}."
        elif kind == "indictment":
            charged = f" with {c.charges[0][0]}" if c.charges else ""
            phrase = f"Prosecutors indicted {him}{charged} {when.words}."
        elif kind == "trial":
            how = " in a closed hearing" if outcome else ""
            phrase = (
                f"The trial took place {when.words} at the {court}; the family was not allowed to attend."
                if register == "testimony"
                else f"The {court} tried {latn}{how} {when.words}."
            )
        elif kind == "sentence":
            assert sentence_data is not None
            skind, months, pol_months, pol_life, _pronounced, _court = sentence_data
            charges = " and ".join(ch[0] for ch in c.charges)
            if skind == "fixed":
                term = f"{_term_words(months)} in prison"
            elif skind == "suspended":
                term = f"{_term_words(months)}, suspended for {_term_words(months + 12)}"
            elif skind == "life":
                term = "life imprisonment"
            elif skind == "death":
                term = "death"
            else:
                term = "death with a two-year reprieve"
            if pol_life:
                rights = " and deprived of political rights for life"
            elif pol_months:
                rights = (
                    f" and {pol_months // 12} year{'s' if pol_months > 12 else ''} of deprivation of "
                    "political rights"
                )
            else:
                rights = ""
            if register == "verdict":
                phrase = (
                    f"This court finds the defendant {latn} guilty of {charges} and sentences the defendant "
                    f"to {term}{rights}. Pronounced {when.words}."
                )
            else:
                phrase = f"{He} was sentenced {when.words} to {term}{rights} for {charges}."
            span = add(phrase)
            sp.sentence = sp.steps[i] = span
            for j, charge in enumerate(c.charges):
                sp.charges[j] = _sub(span, phrase, charge[0])
            add(" ")
            last = max(last, when.ord)
            if prison_at >= 0 and register != "verdict" and skind != "suspended":
                prison = c.custody[prison_at][0]
                phrase = (
                    f"{He} is serving the sentence in {prison.name}."
                    if rng.random() < 0.6
                    else f"{He} was later transferred to {prison.name}."
                )
                sp.custody[prison_at] = add(phrase)
                add(" ")
            continue
        elif kind == "appeal":
            if register == "verdict":
                break
            phrase = f"{He} appealed {when.words}."
        else:
            phrase = f"The {court} rejected the appeal {when.words}."
        sp.steps[i] = add(phrase)
        add(" ")
        last = max(last, when.ord)
    if register == "verdict":
        return sp, last
    if place and c.custody and c.custody[0][0] is place and 0 not in sp.custody and register != "state_media":
        phrase = f"{He} was first held at {place.name}."
        sp.custody[0] = add(phrase)
        add(" ")
    for i, (kind, when, months, _new_kind, _new_months, note) in enumerate(c.changes):
        if kind == "reduction":
            phrase = f"{His} sentence was reduced by {_term_words(months)} {when.words}."
        elif kind == "medical_parole":
            phrase = f"{He} was released on medical parole {when.words}."
        else:
            phrase = f"The sentence was {note} {when.words}."
        sp.changes[i] = add(phrase)
        add(" ")
        last = max(last, when.ord)
    if register == "state_media":
        return sp, last
    for i, (_condition, words, when) in enumerate(c.health):
        phrase = (
            f"According to the family, who saw {him} {when.words}, {he} {words}."
            if register == "testimony"
            else f"{He} {words}, relatives said {when.words}."
        )
        sp.health[i] = add(phrase)
        add(" ")
        last = max(last, when.ord)
    for i, (_kind, _category, words) in enumerate(c.allegations):
        words = words.replace("their", his).replace("they are", f"{he} is")
        if words.startswith("the "):
            phrase = (
                f"The source submits that {words}." if register == "un_document" else f"{words.capitalize()}."
            )
        elif register == "un_document":
            phrase = f"The source submits that {latn} {words}."
        elif register == "testimony":
            phrase = f"I believe {he} {words}."
        else:
            phrase = f"Rights groups say {he} {words}."
        sp.allegations[i] = add(phrase)
        add(" ")
    for i in range(1, len(c.statuses)):
        status, when, _detention = c.statuses[i]
        if status == "released":
            phrase = f"{He} was released {when.words}."
        elif status == "deceased":
            phrase = (
                f"{He} died in custody {when.words}."
                if rng.random() < 0.7
                else f"{His} family was informed {when.words} that {he} had died."
            )
        elif status == "unknown":
            phrase = f"{His} whereabouts have been unknown since {_since(when)}."
        elif status == "house_arrest":
            phrase = f"{He} has been kept under house arrest since {_since(when)}."
        else:
            phrase = f"{He} was reported {status} {when.words}."
        sp.statuses[i] = add(phrase)
        add(" ")
        last = max(last, when.ord)
    return sp, last


def _frame(rng: random.Random, cases: list[_Case]) -> tuple[str, list[_Spans], SourceIn]:
    """The whole document for one case (or several, for a report naming several people)."""
    c = cases[0]
    register = c.kind
    r = rng.random
    doc = _Doc()
    add = doc.add
    publishers = _PUBLISHERS[register]
    if register == "ngo_report":
        publishers = publishers[:2] + _NGO_BY_GROUP.get(c.group, ())
    elif register == "state_media":
        publishers = publishers[2:] if c.province == "Xinjiang" else publishers[:2]
    publisher = rng.choice(publishers)
    caption = ""
    # Published a little after the last thing the document can state.
    last = max(_last_day(case, register) for case in cases)
    pub = dt.date.fromordinal(min(_AS_OF, last + 2 + int(r() * 120)))
    if register == "news":
        headline = _headline(c)
        add(f"{rng.choice(_NEWS_SECTIONS)}\n{headline}\nBy {rng.choice(_REPORTERS)} | {publisher}\n")
        add(f"{MON[pub.month]} {pub.day}, {pub.year} {1 + int(r() * 11)}:{int(r() * 60):02d} p.m.")
        caption = f"Photo: {c.latn} in an undated family photograph. ({publisher})"
        add(f"\n{caption}\n")
        if r() < 0.6:
            add(
                f"You've read {1 + int(r() * 5)} of 5 free stories this month. "
                "Subscribe to continue reading.\n"
            )
        add(f"{c.prefecture.upper()} ({publisher}) — ")
    elif register == "ngo_report":
        add(
            f"{publisher}\nCase {'list' if len(cases) > 1 else 'summary'}: individuals detained in "
            f"{c.province}\n\n"
        )
    elif register == "state_media":
        add(f"{publisher} | Law and Order\n")
    elif register == "verdict":
        year = c.sentence[4].year if c.sentence else c.det.year
        add(
            f"{c.sentence[5] if c.sentence else 'People'} Criminal Judgment\n({year}) Xing Chu Zi No. "
            f"{10 + int(r() * 990)}\n\nPublic prosecution organ: {c.prefecture} People's Procuratorate.\n"
        )
    elif register == "testimony":
        add("Testimony recorded by a monitor. Name of the witness withheld for safety.\n\n")
    else:
        add(
            f"Opinion adopted by the {publisher} concerning {c.latn} (People's Republic of China)\n\n"
            f"1. The source submitted the following information.\n"
        )
    spans = []
    for case in cases:
        sp, case_last = _write_case(rng, case, doc, register)
        assert case_last <= last
        spans.append(sp)
        doc.replace_last("\n\n" if register in ("ngo_report", "testimony") else "\n")
    if register == "news":
        add(
            f"\n{caption}\nStory Tools: Share | Print | Email\n© {pub.year} {publisher}. "
            "All rights reserved. "
            "| Privacy Policy | Terms of Use"
        )
        text = doc.text()
        title = headline
    elif register == "state_media":
        add(f"\n(Reporter: {rng.choice(_REPORTERS)}) {pub.year}-{pub.month:02d}-{pub.day:02d}")
        text = doc.text()
        title = (
            f"{c.prefecture} court hands down sentence in {c.charges[0][0] if c.charges else 'criminal'} case"
        )
    elif register == "verdict":
        add(f"\nPresiding judge: {rng.choice(_JUDGES)}\n{pub.year}-{pub.month:02d}-{pub.day:02d}")
        text = doc.text()
        title = f"Criminal judgment of the {c.sentence[5] if c.sentence else 'court'} in the case of {c.latn}"
    elif register == "testimony":
        add(f"Recorded {pub.day} {MONTHS[pub.month]} {pub.year}.")
        text = doc.text()
        title = f"Testimony of a relative of {c.latn}"
    elif register == "un_document":
        add(f"Opinion No. {1 + int(r() * 90)}/{pub.year}")
        text = doc.text()
        title = f"WGAD opinion concerning {c.latn}"
    else:
        add(
            f"{publisher}, {MONTHS[pub.month]} {pub.year}. Information from sources inside China; "
            "details could not be independently verified."
        )
        text = doc.text()
        title = (
            f"{publisher}: case summary, {c.latn}"
            if len(cases) == 1
            else f"{publisher}: {len(cases)} detained in {c.province}"
        )
    source = SourceIn(
        text=text,
        title=title,
        publisher=publisher,
        url=f"https://{publisher.lower().replace(' ', '').replace(chr(39), '')}.example/{pub.year}/{c.number}"
        if register in ("news", "ngo_report", "state_media")
        else "",
        published=f"{pub.year:04d}-{pub.month:02d}-{pub.day:02d}"
        if register != "ngo_report"
        else f"{pub.year:04d}-{pub.month:02d}",
        language="en",
        kind=register,
        reliability=rng.choice(_RELIABILITY[register]),
        # Testimonies are restricted (the witness must stay unknown); a published document is as open as
        # the least confidential person it names.
        confidentiality=2 if register == "testimony" else min(case.conf for case in cases),
    )
    return text, spans, source


_JUDGES = ("Wang Jun", "Li Hong", "Zhang Ping", "Chen Li", "Aysa Memet", "Tsering Dolma")


def _last_day(c: _Case, register: str) -> int:
    """The last day a document of this register can speak of for this case."""
    if register == "verdict" and c.sentence:
        return c.sentence[4].ord
    days = [c.det.ord]
    days.extend(step[1].ord for step in c.steps)
    days.extend(change[1].ord for change in c.changes)
    if register != "state_media":
        days.extend(status[1].ord for status in c.statuses)
        days.extend(note[2].ord for note in c.health)
    return max(days)


def _headline(c: _Case) -> str:
    if c.sentence:
        who = c.occupation if c.ethnic == "Han" else f"{c.ethnic} {c.occupation}"
        return f"China jails {who} {c.latn}"
    if c.measure == "enforced_disappearance":
        return f"Family fears for {c.occupation} {c.latn} after police raid"
    return f"{c.ethnic} {c.occupation} {c.latn} detained in {c.province}"


def _bundle(c: _Case, sp: _Spans, source: SourceIn) -> PersonIn:
    names = [
        NameIn(text, kind, script, scheme, language, sp.names.get(i))
        for i, (text, kind, script, scheme, language) in enumerate(c.names)
        if i in sp.names
    ]
    det = DetentionIn(
        started=c.det.edtf,
        measure=c.measure,
        age_at_start=c.age,
        place=(c.custody[-1][0] if 1 in sp.custody else c.place) if c.place else None,
        span=sp.detention,
    )
    for i, (place, started, ended) in enumerate(c.custody):
        if i in sp.custody:
            det.custody.append(CustodyIn(place, started.edtf, ended.edtf if ended else None, sp.custody[i]))
    for i, (kind, when, court, outcome) in enumerate(c.steps):
        if i in sp.steps:
            det.legal_steps.append(LegalStepIn(kind, when.edtf, court, outcome, False, sp.steps[i]))
    for i, (text, article) in enumerate(c.charges):
        if i in sp.charges:
            det.charges.append(ChargeIn(text, STATUTE, article, sp.charges[i]))
    if c.sentence and sp.sentence:
        kind, months, pol_months, pol_life, pronounced, court = c.sentence
        sentence = SentenceIn(
            kind=kind,
            term_months=months if kind in ("fixed", "suspended") else None,
            probation_months=months + 12 if kind == "suspended" else None,
            political_rights_months=pol_months,
            political_rights_life=pol_life,
            pronounced=pronounced.edtf,
            court=court,
            term_starts=c.det.edtf,
            span=sp.sentence,
        )
        for i, (ckind, when, months_off, new_kind, new_months, note) in enumerate(c.changes):
            if i in sp.changes:
                sentence.changes.append(
                    SentenceChangeIn(
                        ckind, when.edtf, months_off, 0, new_kind, new_months, note, sp.changes[i]
                    )
                )
        det.sentences.append(sentence)
    statuses = [
        StatusIn(status, when.edtf, False, "", 0 if d == 0 else None, sp.statuses[i])
        for i, (status, when, d) in enumerate(c.statuses)
        if i in sp.statuses
    ]
    for status in statuses:
        if status.status in ("released", "deceased") and status.detention == 0:
            det.ended = status.date
    health = [
        HealthIn(cond, when.edtf, words, sp.health[i])
        for i, (cond, words, when) in enumerate(c.health)
        if i in sp.health
    ]
    allegations = [
        AllegationIn(kind, category, None, words, 0, sp.allegations[i])
        for i, (kind, category, words) in enumerate(c.allegations)
        if i in sp.allegations
    ]
    affiliations = []
    if c.org and sp.affiliation:
        org, role, since = c.org
        affiliations.append(AffiliationIn(org, role, since.edtf, None, sp.affiliation))
    return PersonIn(
        source=source,
        names=names,
        sex=c.sex,
        birth_date=c.birth,
        ethnicity=c.ethnic,
        religion=c.religion,
        occupation=c.occupation,
        residence_country="CN",
        residence_province=c.province,
        residence_prefecture=c.prefecture,
        residence_county=c.county,
        issue_category=c.issue,
        confidentiality=c.conf,
        span=sp.person,
        external_ids=[ExternalIdIn(SCHEME, f"D{c.number:07d}")],
        detentions=[det],
        statuses=statuses,
        health=health,
        allegations=allegations,
        affiliations=affiliations,
    )


def demo_bundles(count: int, *, seed: int = 0, start: int = 0) -> Iterator[PersonIn]:
    """``count`` fictional dossiers numbered from ``start + 1``; the same arguments give the same data."""
    rng = _Rng(f"habeas-demo:{seed}:{start}")
    number = start
    end = start + count
    while number < end:
        first = _case(rng, number + 1)
        cases = [first]
        # About one NGO report in ten names several people detained in the same province.
        if first.kind == "ngo_report" and rng.random() < 0.1:
            for _ in range(min(end - number - 1, 1 + int(rng.random() * 3))):
                other = _case(rng, number + 1 + len(cases))
                other.kind = "ngo_report"
                other.conf = first.conf
                cases.append(other)
        _text, spans, source = _frame(rng, cases)
        for case, sp in zip(cases, spans, strict=True):
            yield _bundle(case, sp, source)
        number += len(cases)


def demo_bundles_forked(
    count: int, *, seed: int = 0, start: int = 0, batch_size: int = 2000
) -> Iterator[PersonIn]:
    """``demo_bundles`` generated in a child process, with their names' scripts and search keys
    derived there too (``prepare_names``), while this process writes: the two halves of an import
    take about the same time and the machine has more than one core.

    The same bundles in the same order as ``demo_bundles``; batches travel through a bounded queue
    (two batches ahead at most), so memory stays flat. The child never touches the database (its
    copy of the connection is left alone and the child ends with os._exit). An error in the child
    is raised here; leaving the loop early (the writer failed) stops the child.
    """
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=2)
    child = context.Process(
        target=_generate_into, args=(queue, count, seed, start, batch_size), name="habeas-demo", daemon=True
    )
    child.start()
    try:
        received = 0
        while received < count:
            try:
                kind, payload = queue.get(timeout=5)
            except Empty:
                if not child.is_alive():
                    raise RuntimeError(f"the demo generator stopped (exit code {child.exitcode})") from None
                continue
            if kind == "error":
                raise RuntimeError(f"the demo generator failed:\n{payload}")
            received += len(payload)
            yield from payload
        child.join(timeout=10)
    finally:
        if child.is_alive():
            child.terminate()
            child.join()
        queue.close()


def _generate_into(queue: Any, count: int, seed: int, start: int, batch_size: int) -> None:
    """The child's side of demo_bundles_forked."""
    gc.disable()  # see demo_create
    try:
        for batch in batched(demo_bundles(count, seed=seed, start=start), batch_size):
            queue.put(("batch", [prepare_names(bundle) for bundle in batch]))
    except BaseException:
        queue.put(("error", traceback.format_exc()))
    queue.close()
    queue.join_thread()


# Below this many persons a child process costs more than it saves (starting it, pickling).
FORK_FROM = 4000


# -- writing and users -----------------------------------------------------------------------------
@dataclass
class DemoResult:
    bulk: BulkResult
    seconds: float
    start: int


def demo_next_number() -> int:
    """Generated persons are numbered D0000001...; a later run continues after the highest."""
    from habeas.dossiers.models import ExternalId

    values = ExternalId.objects.filter(scheme=SCHEME).order_by("-value").values_list("value", flat=True)[:1]
    return int(values[0][1:]) if values else 0


def demo_create(
    count: int,
    *,
    seed: int = 0,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
    by: object = None,
    fork: bool | None = None,
) -> DemoResult:
    """Generate and write ``count`` persons; ``fork``: generate in a child process while writing
    (None: when there are several cores and at least FORK_FROM persons). Same database either way."""
    import time

    from habeas.dossiers.bulk import dossiers_bulk_create

    began = time.perf_counter()
    start = demo_next_number()
    # The bundles and rows are acyclic and short-lived; the cyclic collector would rescan every batch's
    # hundreds of thousands of young objects again and again (more than half of the generation time).
    enabled = gc.isenabled()
    gc.disable()
    if fork is None:
        fork = count >= FORK_FROM and (os.cpu_count() or 1) > 1
    bundles = (
        demo_bundles_forked(count, seed=seed, start=start, batch_size=batch_size)
        if fork
        else demo_bundles(count, seed=seed, start=start)
    )
    try:
        result = dossiers_bulk_create(
            bundles,
            by=by,
            batch_size=batch_size,
            note=f"habeas demo --seed {seed}",
            progress=progress,
        )
    finally:
        if fork:
            bundles.close()  # type: ignore[attr-defined]  # stops the child at once if the writer failed
        if enabled:
            gc.enable()
    return DemoResult(result, time.perf_counter() - began, start)


DEMO_USERS = (
    ("admin", "admin", 2),
    ("researcher", "researcher", 2),
    ("reviewer", "reviewer", 1),
    ("viewer", "viewer", 0),
)


def demo_users(password: str | None) -> tuple[list[str], list[str], str]:
    """Create the four demo users that do not exist yet; returns (created, existing, password)."""
    from habeas.accounts.models import User
    from habeas.accounts.services import user_create

    password = password or secrets.token_urlsafe(12)
    created, existing = [], []
    for username, role, clearance in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            existing.append(username)
            continue
        user_create(username=username, password=password, role=role, clearance=clearance)
        created.append(username)
    return created, existing, password

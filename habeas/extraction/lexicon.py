"""Words and patterns for the facts that are not dates, terms or charges: places of detention, events,
health, ethnicity, occupations, official titles, affiliations, monitoring bodies, allegations."""

from __future__ import annotations

import re

_CAP = (
    r"(?:[A-Z][\w'’.-]*|No\.\s*\d+|Number\s+\d+|\d+|PSB|XUAR|TAR|of|the|and|de|for|Women's|Women’s|Municipal|"
    r"City|(?i:women's|women’s|municipal|city|county|district|prefectural|provincial|juvenile|public\s+security|"
    r"administrative|criminal))"
)
# The kind of facility that ends its name, in any case ("Heizuizi RTL center", "Jin prison").
_PLACE_HEAD = (
    r"(?i:Prison|Jail|Detention\s+(?:Center|Centre|Facility|House)|Det\.\s*Ctr\.?|Reformatory"
    r"|Re-?education[- ]Through[- ]Labou?r\s+(?:Center|Centre|Camp|Facility)"
    r"|RTL\s+(?:Detention\s+)?(?:Center|Centre|Camp|Facility)|Labou?r\s+Camp|Labou?r\s+Re-?education\s+(?:Center|Centre|Camp)|Psychiatric\s+Hospital"
    r"|Ankang(?:\s+(?:Hospital|Center|Centre))?|Legal\s+Education\s+(?:Center|Centre|Class)|Transformation\s+"
    r"(?:Center|Centre)|Re-?education\s+(?:Center|Centre|Camp)|Vocational\s+(?:Skills\s+)?(?:Education\s+)?"
    r"(?:Training\s+)?(?:Center|Centre)|Police\s+Station|Public\s+Security\s+Bureau|Black\s+Jail)"
)
PLACE = re.compile(
    # "Ma'erkang (Barkham) PSB Detention Center": a name's other spelling in brackets after its first word
    rf"\b(?P<place>(?:[A-Z][\w'’.-]*(?:\s+\([A-Z][\w'’-]*\))?\s+)(?:{_CAP}\s+){{0,6}}?{_PLACE_HEAD})(?P<tail>\s+(?:No\.|Number)\s*\d+)?\b"
    # Chinese script: 兰州市第二监狱, 北京市第一看守所, 新安劳教所
    r"|(?P<han>[\u4e00-\u9fff]{2,12}(?:监狱|看守所|拘留所|劳教所|劳动教养所|精神病院|安康医院|教育转化中心|培训中心))"
)

# Where a person is questioned, not held ("Gama police station", "the county Public Security Bureau"), and
# names that are no facility's ("Abduveli's prison").
NOT_A_FACILITY = re.compile(r"(?i:police\s+station|public\s+security\s+bureau)$|^\S+'s\s")


def place_name(written: str) -> str:
    """One spelling for a facility's name: "Xinjiang Prison Number 1" -> "Xinjiang No. 1 Prison",
    curly apostrophes straightened, a leading "The" dropped."""
    name = " ".join(written.replace("’", "'").split())
    if re.search("[\u4e00-\u9fff]", name):
        return re.sub(
            "^.*[在到于入往至]", "", name
        )  # "关押在兰州市第二监狱": the verb before is not the name
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
    name = re.sub(r"\bNumber\s+(\d+)", r"No. \1", name)
    name = re.sub(r"\bNo\.\s*(\d+)", r"No. \1", name)
    moved = re.match(r"^(?P<head>.+?)\s+(?P<kind>Prison|Detention Center)\s+(?P<no>No\. \d+)$", name)
    if moved:
        name = f"{moved['head']} {moved['no']} {moved['kind']}"
    return name


# Where someone is held (these words before a place make it the person's place of detention).
HELD = re.compile(
    r"\b(?:held|hold\w*|detain\w*|imprison\w*|jail\w*|serv\w*|transferr?\w*|sent|taken|took|moved|confined|"
    r"incarcerated|locked|custody|in|at|to)\b",
    re.I,
)

DETAINED = re.compile(
    r"\b(?:detain(?:ed|s|ing)?|arrest(?:ed|s|ing)?|took\s+(?:\w+\s+){0,6}?into\s+custody|taken\s+into\s+custody|"
    r"seiz\w*|abduct\w*|taken\s+away|took\s+(?:\w+\s+){0,3}away|apprehend\w*|picked\s+up|rounded\s+up)\b",
    re.I,
)
SENTENCED = re.compile(r"\bsentenc(?:ed|ing|es)\b|\bconvicted\b|\bordered\s+(?:\w+\s+)?to\s+serve\b", re.I)
RELEASED = re.compile(
    r"\b(?:released|freed|set\s+free|let\s+go|completed\s+(?:his|her|their)\s+(?:sentence|term)|"
    r"finished\s+serving|after\s+serving|was\s+let\s+out|returned\s+home\s+after)\b",
    re.I,
)
# Bail and parole keep a person in the system (CECC counts bail as detained); not a release.
CONDITIONAL = re.compile(r"\b(?:on\s+bail|bail\s+pending|qubao\s+houshen|residential\s+surveillance)\b", re.I)
DIED = re.compile(
    r"\b(?:died|dies|death\s+in\s+custody|passed\s+away|executed|was\s+killed|beaten\s+to\s+death)\b", re.I
)
DISAPPEARED = re.compile(
    r"\b(?:whereabouts\s+(?:\w+\s+){0,6}?(?:unknown|remain\w*\s+unknown)|disappeared|"
    r"enforced(?:ly)?\s+disappear\w*|has\s+not\s+been\s+(?:seen|heard\s+from))\b",
    re.I,
)

HEALTH = re.compile(
    r"\b(?P<condition>hepatitis\s+[A-E]\b|Parkinson['’]?s(?:\s+disease)?|diabetes|tuberculosis|cancer|"
    r"(?:liver|kidney|heart|lung)\s+(?:disease|failure|problems?|condition)|heart\s+attack|"
    r"high\s+blood\s+pressure|hypertension|stroke|paraly[sz]\w*|blind\w*|deaf\w*|depression|"
    r"mental\s+(?:illness|disorder)|schizophrenia|HIV|AIDS|leukemia|tumou?r|pneumonia|"
    r"in\s+(?:poor|bad|declining|failing|critical|serious)\s+(?:health|condition)|"
    r"(?:poor|failing|deteriorating|declining)\s+health|seriously\s+ill|gravely\s+ill|"
    r"heart\s+condition|cerebral\s+(?:hemorrhage|infarction)|COVID-19|disabilit\w*)",
    re.I,
)

ETHNICITIES = {
    "uyghur": "Uyghur",
    "uighur": "Uyghur",
    "uygur": "Uyghur",
    "tibetan": "Tibetan",
    "han": "Han",
    "hui": "Hui",
    "mongol": "Mongol",
    "mongolian": "Mongol",
    "kazakh": "Kazak",
    "kazak": "Kazak",
    "kyrgyz": "Kirgiz",
    "kirgiz": "Kirgiz",
    "zhuang": "Zhuang",
    "manchu": "Manchu",
    "korean": "Korean",
    "uzbek": "Uzbek",
    "tujia": "Tujia",
    "miao": "Miao",
    "yi": "Yi",
    "dong": "Dong",
    "tu": "Tu",
    "salar": "Salar",
    "dongxiang": "Dongxiang",
}
_ETHNIC_WORDS = "|".join(sorted(ETHNICITIES, key=len, reverse=True))
# "ethnic Uighur", "a Tibetan monk", "Han Chinese", "7 Uyghur men", "a Uyghur from Hotan"
ETHNICITY = re.compile(
    rf"\b(?:ethnic(?:ally)?\s+(?P<e1>(?i:{_ETHNIC_WORDS}))\b|(?P<e2>Uyghur|Uighur|Uygur|Tibetan|Mongolian|Kazakh|Kazak|"
    rf"Kyrgyz|Kirgiz|Manchu|Uzbek)s?\b|(?P<e3>Han|Hui|Zhuang|Korean|Tujia|Miao|Yi|Dong|Tu|Salar|Dongxiang)"
    rf"\s+(?:Chinese|Muslims?|minority|nationality|woman|women|man|men|people|ethnicity|girl|boy))",
)
# Words that make "Tibetan" or "Uyghur" an adjective of something other than a person.
NOT_ETHNIC_AFTER = re.compile(
    r"\s*(?:language|Autonomous|Plateau|Buddhis\w*|Service|Human\s+Rights|Review|Congress|Center|Centre|"
    r"Information|Project|American|Association|Service|Youth\s+Congress|exile|government|Institute|Online|"
    r"Radio|Times|Women's|region|areas?|culture|New\s+Year|Writing)\b",
    re.I,
)

OCCUPATIONS = [
    "lathe operator",
    "businesswoman",
    "businessman",
    "business owner",
    "entrepreneur",
    "human rights lawyer",
    "lawyer",
    "legal advocate",
    "citizen journalist",
    "journalist",
    "reporter",
    "editor",
    "blogger",
    "writer",
    "poet",
    "author",
    "novelist",
    "scholar",
    "professor",
    "economist",
    "historian",
    "teacher",
    "student",
    "doctor",
    "physician",
    "nurse",
    "engineer",
    "farmer",
    "herder",
    "herdsman",
    "nomad",
    "monk",
    "nun",
    "lama",
    "imam",
    "pastor",
    "priest",
    "bishop",
    "factory worker",
    "worker",
    "labor activist",
    "labour activist",
    "petitioner",
    "musician",
    "singer",
    "artist",
    "filmmaker",
    "photographer",
    "shopkeeper",
    "trader",
    "driver",
    "soldier",
    "police officer",
    "civil servant",
    "accountant",
    "translator",
    "publisher",
    "bookseller",
    "activist",
    "dissident",
]
OCCUPATION = re.compile(r"\b(?P<occ>" + "|".join(re.escape(o) for o in OCCUPATIONS) + r")s?\b", re.I)

OFFICIAL_TITLES = re.compile(
    r"\b(?:judge|presiding\s+judge|prosecutor|procurator|official|officer|police\s+chief|minister|"
    r"vice[- ]minister|deputy\s+minister|spokes(?:man|woman|person)|ambassador|governor|mayor|premier|"
    r"president|vice[- ]president|chairman|chairwoman|Party\s+secretary|secretary|director|deputy|"
    r"commissioner|head\s+of\s+the\s+\w+\s+(?:bureau|department|ministry|office)|cadre|warden|guards?|"
    r"councill?or|envoy|diplomat)\b",
    re.I,
)
OTHER_TITLES = re.compile(
    r"\b(?:researcher|analyst|expert|scholar|professor|academic|correspondent|spokes\w+\s+for\s+"
    r"(?:Amnesty|Human\s+Rights)|director\s+(?:of|at)\s+(?:Amnesty|Human\s+Rights\s+Watch|the\s+\w+\s+"
    r"(?:Institute|Foundation|Project|Center|Centre))|rapporteur|investigator)\b",
    re.I,
)
# "co-founder of the China Democratic Party", "a member of the Huaxin Workers' Union"
ORG_RELATION = re.compile(
    r"\b(?P<relation>co-?founder|founder|founding\s+member|member|leader|head|chairman|chairwoman|"
    r"president|organi[sz]er|director|editor|secretary[- ]general|spokes\w+|coordinator|volunteer)\s+"
    r"(?:of|at|with|for)\s+(?:the\s+)?(?P<org>(?:[A-Z][\w'’.-]*|of|for|and|the|in)"
    r"(?:\s+(?:[A-Z][\w'’.-]*|of|for|and|the|in|[a-z]+'s))*)",
)
# "who founded the Huaxin Workers' Union"
ORG_FOUNDED = re.compile(
    r"\b(?P<relation>co-?founded|founded|established|led|joined)\s+(?:the\s+)?"
    r"(?P<org>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|for|and|the))*)"
)

BODIES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.I), name)
    for p, name in [
        (
            r"\bInternational\s+Committee\s+of\s+the\s+Red\s+Cross\b|\bICRC\b|\bRed\s+Cross\b",
            "International Committee of the Red Cross",
        ),
        (
            r"\b(?:UN\s+|U\.N\.\s+|United\s+Nations\s+)?(?:Special\s+Rapporteur\s+on\s+torture|torture\s+"
            r"(?:investigator|envoy|rapporteur|expert|monitor)|anti-torture\s+(?:investigator|envoy|expert))\b",
            "UN Special Rapporteur on torture",
        ),
        (
            r"\b(?:UN\s+|U\.N\.\s+)?Working\s+Group\s+on\s+Arbitrary\s+Detention\b|\bWGAD\b",
            "UN Working Group on Arbitrary Detention",
        ),
        (
            r"\b(?:UN\s+|U\.N\.\s+)?Working\s+Group\s+on\s+Enforced\s+(?:or\s+Involuntary\s+)?Disappearances\b",
            "UN Working Group on Enforced or Involuntary Disappearances",
        ),
        (
            r"\b(?:UN\s+|U\.N\.\s+)?High\s+Commissioner\s+for\s+Human\s+Rights\b|\bOHCHR\b",
            "UN High Commissioner for Human Rights",
        ),
        (
            r"\b(?:UN\s+|U\.N\.\s+)?Special\s+Rapporteur\s+on\s+(?:freedom\s+of\s+religion|religious\s+freedom)"
            r"(?:\s+or\s+belief)?\b",
            "UN Special Rapporteur on freedom of religion or belief",
        ),
        (
            r"\b(?:UN\s+|U\.N\.\s+)?Special\s+Rapporteur\s+on\s+(?:the\s+)?(?P<topic>[a-z][\w\s-]{3,60}?)(?=[,.;]|\s+"
            r"(?:to|has|had|was|said|will|would|asked|requested))",
            "UN Special Rapporteur",
        ),
        (r"\b(?:UN\s+|U\.N\.\s+)?Committee\s+against\s+Torture\b", "UN Committee against Torture"),
        (
            r"\bSubcommittee\s+on\s+(?:the\s+)?Prevention\s+of\s+Torture\b|\bSPT\b",
            "UN Subcommittee on Prevention of Torture",
        ),
        (r"\b(?:[A-Z][\w-]+\s+){1,4}Commission(?:\s+(?:on|for)\s+(?:[A-Z][\w-]+\s*){1,4})?", "commission"),
    ]
]
ACCESS_STATUS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.I), status)
    for p, status in [
        (
            r"\b(?:refus\w*|reject\w*|denied|deny\w*|declin\w*|barred|turned\s+down|not\s+(?:been\s+)?(?:allowed|"
            r"permitted|granted))\b",
            "refused",
        ),
        (r"\b(?:postpon\w*|delay\w*|put\s+off|cancel\w*|called\s+off)\b", "postponed"),
        (
            r"\b(?:visited|toured|conducted\s+(?:a\s+|the\s+)?(?:visit|mission|inspection)|completed\s+(?:a\s+|the\s+|"
            r"his\s+|her\s+)?(?:visit|mission)|met\s+(?:with\s+)?(?:inmates|prisoners|detainees))\b",
            "conducted",
        ),
        (
            r"\b(?:dates?\s+(?:have\s+been\s+|were\s+|was\s+)?(?:set|fixed|agreed)|scheduled|will\s+visit|"
            r"is\s+(?:due|set|expected)\s+to\s+visit|to\s+visit\s+(?:from|between|in)\b)",
            "scheduled",
        ),
        (r"\b(?:agree\w*|accept\w*|grant\w*|allow\w*|permit\w*|consent\w*|approv\w*)\b", "agreed"),
        (r"\b(?:invit\w*)\b", "invited"),
        (r"\b(?:consider\w*|studying|weigh\w*|review\w*\s+(?:the|a)\s+request)\b", "considered"),
        (
            r"\b(?:request\w*|ask\w*|sought|seek\w*|call\w*\s+(?:for|on)|urg\w*|appeal\w*\s+for|press\w*\s+for)\b",
            "requested",
        ),
    ]
]
ACCESS_WORDS = re.compile(
    r"\b(?:visit\w*|access|mission|inspect\w*|come\s+to|go\s+to|travel\w*\s+to)\b", re.I
)
CONDITIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.I), condition)
    for p, condition in [
        (
            r"\bunconditional\w*|\bwithout\s+(?:any\s+)?(?:pre)?conditions\b|\bno\s+(?:pre)?conditions\b",
            "unconditional",
        ),
        (
            r"\b(?:any|all|every)\s+(?:prison|place\s+of\s+detention|detention\s+(?:facility|center|centre)|"
            r"facility)\w*",
            "any prison",
        ),
        (
            r"\bprivate(?:ly)?\s+(?:interview|meeting|talk)\w*|\b(?:interview|meet|talk)\w*\s+(?:\w+\s+){0,4}"
            r"(?:in\s+private|privately|without\s+(?:guards|officials|witnesses))|\bunsupervised\s+(?:interview|"
            r"meeting)\w*|confidential\s+interviews?",
            "private interviews",
        ),
        (
            r"\b(?:no|without|free\s+(?:of|from))\s+(?:fear\s+of\s+)?reprisals?\b|\bguarantee\w*\s+(?:\w+\s+){0,3}"
            r"against\s+reprisals?\b",
            "no reprisals",
        ),
        (r"\bunannounced\s+visits?\b|\bwithout\s+(?:prior\s+)?notice\b", "unannounced visits"),
    ]
]
ALLEGATIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.I), kind)
    for p, kind in [
        (r"\btortur\w*", "torture"),
        (r"\b(?:ill-?treatment|mistreat\w*|beat(?:en|ings?)|abus(?:ed|e)\s+in\s+custody)\b", "ill-treatment"),
        (
            r"\breligious\s+persecution|\bpersecut\w*\s+(?:\w+\s+){0,3}(?:for\s+(?:their|his|her)\s+)?"
            r"(?:faith|religion|belief)",
            "religious persecution",
        ),
        (r"\barbitrar\w*\s+(?:detention|arrest|detained)", "arbitrary detention"),
        (r"\benforced(?:ly)?\s+disappear\w*", "enforced disappearance"),
        (r"\bexecution\w*|\bexecuted\b", "execution"),
        (r"\bforced\s+labou?r", "forced labour"),
        (
            r"\bforced\s+(?:confession|(?:televised\s+)?confessions)|\btelevised\s+confession",
            "forced confession",
        ),
        (r"\bsexual\s+(?:violence|abuse|assault)|\brape\b", "sexual violence"),
        (r"\bsolitary\s+confinement|\bincommunicado\b", "incommunicado detention"),
        (
            r"\bdenied\s+(?:\w+\s+){0,2}medical\s+(?:care|treatment)|\bdenial\s+of\s+medical",
            "denial of medical care",
        ),
        (r"\bforced\s+(?:sterili[sz]ation|abortion)", "reproductive coercion"),
    ]
]

"""The linkage model: splink 5 (Fellegi-Sunter) over DuckDB, or over Spark where one machine is not enough.

Records arrive as rows of plain values (see ``habeas.linkage.records``); this module knows nothing of
Django, so the benchmark, the batch and a Spark cluster run the very same model.

Parameters are fixed priors, not trained at run time: a batch over a small database (or one extracted
person against a few candidates) has too few pairs for expectation maximisation to converge, and a
model retrained on every run would score the same pair differently from one week to the next, so a
reviewer's queue would shift under them. Each level's m (how often true duplicates agree this way) and
u (how often two different persons do) is written below with its reason; ``bench/linkage.py`` checks
them against labelled real and generated sets. The prior that two random records match is derived from
the number of records (``DUPLICATES_PER_RECORD``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["persons", "places"]

# Expected duplicate pairs per record: about one record in five has a second record of the same person
# (Dui Hua: 48,699 names from some 48,000 reports, most persons named once; CECC keeps one record per
# person but other sources repeat it). Only the prior; the evidence decides.
DUPLICATES_PER_RECORD = 0.2

MODEL_VERSION = {"persons": "persons-v1", "places": "places-v1"}


@dataclass(frozen=True)
class Level:
    """One comparison level: its label (shown to reviewers), SQL (None for ELSE), m and u."""

    label: str
    sql: str | None
    m: float
    u: float
    # sql: plain SQL both engines read alike; generic: SQL in sqlglot's neutral dialect, translated for
    # the engine (array functions are spelled differently in DuckDB and Spark).
    kind: Literal["sql", "generic", "array", "jw", "dl", "else", "km"] = "sql"
    column: str = ""
    threshold: float = 0.0
    # SQL (neutral dialect) under which the level does not apply, though its test holds.
    unless: str | None = None

    @property
    def weight(self) -> float:
        return math.log2(self.m / self.u)


@dataclass(frozen=True)
class Comparison:
    name: str
    null_column: str
    levels: tuple[Level, ...]  # most to least similar; the last is ELSE
    extra_null_columns: tuple[str, ...] = field(default=())


def _array(column: str, label: str, m: float, u: float) -> Level:
    return Level(label, None, m, u, kind="array", column=column)


def _jw(column: str, threshold: float, label: str, m: float, u: float, unless: str | None = None) -> Level:
    return Level(label, None, m, u, kind="jw", column=column, threshold=threshold, unless=unless)


# Two Tibetan names each made of known elements, and not the same name (the level for that comes
# first): a letter or two apart is another element (Wangmo / Zangmo, Rabten / Samten), not a typo.
_TWO_KNOWN_TIBETAN_NAMES = "name_tib_l IS NOT NULL AND name_tib_r IS NOT NULL"


def _else(m: float, u: float) -> Level:
    return Level("differs", None, m, u, kind="else")


PERSON_COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        "name_fold",
        (
            # A full name in the same canonical spelling (any script). Most true duplicates; among
            # different persons rare but not negligible (Wang Wei, Zhang Li: namesakes abound).
            # Both written in characters, and no characters in common: a shared reading is a homophone
            # (刘明德 / 柳明德), weak evidence. Checked first, so such pairs never reach "same name".
            Level(
                "same reading, different characters",
                "name_han_l IS NOT NULL AND name_han_r IS NOT NULL"
                " AND ARRAY_SIZE(ARRAY_INTERSECT(name_han_l, name_han_r)) = 0"
                " AND ARRAY_SIZE(ARRAY_INTERSECT(name_exact_l, name_exact_r)) > 0",
                0.002,
                0.0008,
                kind="generic",
            ),
            # A one-word name (Buchung, Nyima, Memetjan) is shared by many: weaker than a full name.
            _array("name_short", "same one-word name", 0.1, 0.003),
            _array("name_exact", "same name (same key in some script or romanisation)", 0.556, 0.0003),
            # A Tibetan name of two words or more, every word a known name element, in any spelling or
            # the standard Chinese transcription (Konchog Dorje / Gongjue Duoji / Konchok Dorjee): the
            # same name as surely as an exact key.
            _array(
                "name_tib",
                "same Tibetan name (known name elements, any spelling or transcription)",
                0.05,
                0.00004,
            ),
            # Tibetan elements or a phonetic skeleton agree: Palden Gyatso / Banden Jiacuo, Rebiya
            # Kadeer / Rabiye Qadir. Looser, so a larger u.
            _array(
                "name_phon", "same name read phonetically (Tibetan or Uyghur spelling variant)", 0.11, 0.0006
            ),
            # A Tibetan or Uyghur name and its Chinese transcription (Konchog Lodroe / Gongjue Luozhui,
            # Kamil Rehim / Kamili Reyimu): the syllable codes of lib/names.py agree, one side read as
            # Tibetan or Uyghur, the other as pinyin or characters. Between two names of the same
            # kind the codes are too coarse to mean anything (phonetic keys decide those). Three
            # syllables or more are about as specific as a full name among such pairs (about 3 in
            # 10,000 cross pairs of different CECC persons, mostly namesakes), and such pairs are a
            # small share of all pairs; one-word names (Tenpa / Danba) are weak, like a one-word name.
            Level(
                "a name and its Chinese transcription (Tibetan or Uyghur name, three syllables or more)",
                "ARRAY_SIZE(ARRAY_INTERSECT(name_src_long_l, name_chi_long_r)) > 0"
                " OR ARRAY_SIZE(ARRAY_INTERSECT(name_chi_long_l, name_src_long_r)) > 0",
                0.05,
                0.00006,
                kind="generic",
            ),
            Level(
                "a short name and its Chinese transcription (Tibetan or Uyghur one-word name)",
                "ARRAY_SIZE(ARRAY_INTERSECT(name_src_l, name_chi_r)) > 0"
                " OR ARRAY_SIZE(ARRAY_INTERSECT(name_chi_l, name_src_r)) > 0",
                0.02,
                0.01,
                kind="generic",
            ),
            # Typos: one or two letters of the whole name. Not a looser string similarity: Tibetan names
            # are pairs from a small vocabulary (Gyaltsen Lochoe, Gyaltsen Tenzin), so names that share a
            # word are alike by any measure and still different persons.
            _jw(
                "name_fold",
                0.95,
                "names nearly equal (Jaro-Winkler >= 0.95)",
                0.06,
                0.001,
                unless=_TWO_KNOWN_TIBETAN_NAMES,
            ),
            Level(
                "one or two letters differ",
                None,
                0.05,
                0.002,
                kind="dl",
                column="name_fold",
                threshold=2,
                unless=_TWO_KNOWN_TIBETAN_NAMES,
            ),
            # Religious vs lay names, pen names: a true duplicate may share no name at all, but then no
            # amount of agreement elsewhere (a group arrested together: same monastery, prison, month,
            # often the same age) may link it automatically; the m is set so low that such a pair
            # reaches the review queue at most.
            _else(0.002, 0.98220),
        ),
    ),
    Comparison(
        "birth_year",
        "birth_year",
        (
            Level("same birth year", "birth_year_l = birth_year_r", 0.85, 0.025),
            # Ages at detention convert to birth years one year apart.
            Level("birth years one apart", "abs(birth_year_l - birth_year_r) <= 1", 0.11, 0.05),
            Level("birth years within five", "abs(birth_year_l - birth_year_r) <= 5", 0.025, 0.2),
            _else(0.015, 0.725),
        ),
    ),
    Comparison(
        "sex",
        "sex",
        (Level("same sex", "sex_l = sex_r", 0.98, 0.6), _else(0.02, 0.4)),
    ),
    Comparison(
        "ethnicity",
        "ethnicity",
        # Most records in a Chinese database are Han, Tibetan or Uyghur: agreement says little,
        # disagreement much.
        (Level("same ethnicity", "ethnicity_l = ethnicity_r", 0.97, 0.4), _else(0.03, 0.6)),
    ),
    Comparison(
        "province",
        "province",
        (Level("same residence province", "province_l = province_r", 0.9, 0.12), _else(0.1, 0.88)),
    ),
    Comparison(
        "places",
        "places",
        # Large prisons hold thousands, and a group arrested together is held together: moderate.
        (_array("places", "a detention place in common", 0.6, 0.03), _else(0.4, 0.97)),
    ),
    Comparison(
        "detention",
        "det_y",
        (
            # Group arrests: monks of one monastery detained the same week. Not independent of the place
            # and affiliation; the weights are kept moderate so that together they cannot outvote a name
            # that differs.
            Level("detained the same month", "det_ym_l = det_ym_r", 0.62, 0.012),
            Level("detained the same year", "det_y_l = det_y_r", 0.2, 0.06),
            Level("detention years one apart", "abs(det_y_l - det_y_r) <= 1", 0.06, 0.1),
            # A second detention of the same person, years later, is common.
            _else(0.12, 0.828),
        ),
    ),
    Comparison(
        "charges",
        "charges",
        # Article 105 or 300 is shared by thousands: weak agreement, mild disagreement.
        (_array("charges", "a charge (statute article) in common", 0.8, 0.3), _else(0.2, 0.7)),
    ),
    Comparison(
        "affiliations",
        "affiliations",
        (_array("affiliations", "an affiliation in common", 0.65, 0.02), _else(0.35, 0.98)),
    ),
    Comparison(
        "sources",
        "source_ids",
        (
            # Two records of one database (CECC, CHRD...) under different numbers: that database keeps
            # one record per person it knows, so its curators have told these two apart (monks of one
            # group arrest with one name are two records there). It still holds a few duplicates, so a
            # full name with a matching birth year and detention can outweigh this; a shared one-word
            # name and a group's month, prison and monastery cannot. The u depends on how much of the
            # collection one source holds; about half is taken, so records of two different databases
            # gain a bit. A record without numbers (an extracted person) is neither for nor against.
            Level(
                "distinct records of one source database",
                "ARRAY_SIZE(ARRAY_INTERSECT(source_schemes_l, source_schemes_r)) > 0"
                " AND ARRAY_SIZE(ARRAY_INTERSECT(source_ids_l, source_ids_r)) = 0",
                0.002,
                0.5,
                kind="generic",
            ),
            _else(0.998, 0.5),
        ),
    ),
)

PLACE_COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        "name_keys",
        (
            # "No. 1 Prison" and "No. 2 Prison" of one city are two prisons, however alike the names.
            Level(
                "different facility numbers",
                "numbers_l IS NOT NULL AND numbers_r IS NOT NULL"
                " AND ARRAY_SIZE(ARRAY_INTERSECT(numbers_l, numbers_r)) = 0",
                0.005,
                0.05,
                kind="generic",
            ),
            # A facility's full name (with its city and number) is nearly unique.
            _array("name_keys", "same name (same key in some script or spelling)", 0.75, 0.0001),
            Level(
                "one name contains the other",
                "ARRAY_SIZE(ARRAY_INTERSECT(tokens_l, tokens_r))"
                " = LEAST(ARRAY_SIZE(tokens_l), ARRAY_SIZE(tokens_r))",
                0.12,
                0.004,
                kind="generic",
            ),
            _jw("name_fold", 0.93, "names nearly equal (Jaro-Winkler >= 0.93)", 0.07, 0.004),
            _jw("name_fold", 0.85, "names similar (Jaro-Winkler >= 0.85)", 0.03, 0.04),
            _else(0.025, 0.9019),
        ),
    ),
    Comparison(
        "province",
        "province",
        (Level("same province", "province_l = province_r", 0.95, 0.08), _else(0.05, 0.92)),
    ),
    Comparison(
        "kind",
        "kind",
        (Level("same kind of place", "kind_l = kind_r", 0.9, 0.35), _else(0.1, 0.65)),
    ),
    Comparison(
        "location",
        "latitude",
        (
            Level("within 2 km", None, 0.85, 0.002, kind="km", threshold=2),
            Level("within 25 km", None, 0.1, 0.03, kind="km", threshold=25),
            _else(0.05, 0.968),
        ),
    ),
)

COMPARISONS: dict[str, tuple[Comparison, ...]] = {"persons": PERSON_COMPARISONS, "places": PLACE_COMPARISONS}

# Blocking: which pairs are compared at all. Every rule is an equi-join (splink explodes the arrays),
# so the work grows with the pairs that share a key, not with the square of the records.
PERSON_BLOCKING: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("bk",), "bk"),  # any whole-name key: exact, Tibetan or phonetic
    (("tok", "birth_year"), "tok"),  # one word of the name and the birth year (typos, dropped words)
    (("tok", "det_ym"), "tok"),  # one word of the name and the month of detention
)
# A name and its Chinese transcription share no word: a long transcription code alone, a short one with
# the birth year or the month of detention. The codes are tagged by side ("s|" a Tibetan or Uyghur name,
# "c|" a Chinese transcription) and only a source code meets a Chinese one, so the many Tibetan names
# alike by their codes are not paired here.
_TRANSCRIPTION_RULES: tuple[tuple[str, str], ...] = (
    ("tx_block_long", ""),
    ("tx_block", " AND l.birth_year = r.birth_year"),
    ("tx_block", " AND l.det_ym = r.det_ym"),
)
PLACE_BLOCKING: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("name_keys",), "name_keys"),
    (("tokens", "province"), "tokens"),
)
BLOCKING = {"persons": PERSON_BLOCKING, "places": PLACE_BLOCKING}


def probability_two_random_records_match(n_records: int) -> float:
    pairs = max(n_records * (n_records - 1) / 2, 1.0)
    return min(max(DUPLICATES_PER_RECORD * max(n_records, 2) / pairs, 1e-9), 0.5)


def _generic_level(sql: str, label: str) -> Any:
    """A level written in sqlglot's neutral SQL, translated for the engine at hand (as splink's own
    array levels are)."""
    from splink.internals.comparison_level_creator import ComparisonLevelCreator
    from sqlglot import parse_one

    class GenericLevel(ComparisonLevelCreator):
        def create_sql(self, sql_dialect: Any) -> str:
            return str(parse_one(sql).sql(dialect=sql_dialect.sqlglot_dialect))

        def create_label_for_charts(self) -> str:
            return label

    return GenericLevel()


def _level_creator(level: Level, comparison: Comparison) -> Any:
    import splink.comparison_level_library as cll

    creator = _base_level_creator(level)
    if level.unless:
        return cll.And(creator, cll.Not(_generic_level(level.unless, f"not: {level.unless}"))).configure(
            label_for_charts=level.label
        )
    return creator


def _base_level_creator(level: Level) -> Any:
    import splink.comparison_level_library as cll

    if level.kind == "generic":
        return _generic_level(level.sql or "", level.label)

    if level.kind == "else":
        return cll.ElseLevel()
    if level.kind == "array":
        return cll.ArrayIntersectLevel(level.column, 1)
    if level.kind == "jw":
        return cll.PairwiseStringDistanceFunctionLevel(level.column, "jaro_winkler", level.threshold)
    if level.kind == "dl":
        return cll.PairwiseStringDistanceFunctionLevel(level.column, "damerau_levenshtein", level.threshold)
    if level.kind == "km":
        return cll.DistanceInKMLevel("latitude", "longitude", level.threshold)
    return cll.CustomLevel(level.sql or "", label_for_charts=level.label)


def _comparison_creator(comparison: Comparison) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    levels: list[Any] = [cll.NullLevel(comparison.null_column)]
    levels += [_level_creator(level, comparison) for level in comparison.levels]
    creator = cl.CustomComparison(
        levels, output_column_name=comparison.name, comparison_description=comparison.name
    )
    creator.configure(
        m_probabilities=[level.m for level in comparison.levels],
        u_probabilities=[level.u for level in comparison.levels],
    )
    return creator


def settings_for(kind: Kind, n_records: int) -> Any:  # n_records: the population the prior is for
    """The splink settings of a model: comparisons with their fixed m/u, blocking, the prior."""
    from splink import SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule

    rules: list[Any] = [
        block_on(*columns, arrays_to_explode=[explode] if explode else None)
        for columns, explode in BLOCKING[kind]
    ]
    if kind == "persons":
        rules += [
            CustomRule(
                # The right side's code with its tag flipped: an equi-join that pairs "s|" codes
                # with "c|" codes only.
                f"l.{column} = CONCAT(CASE WHEN SUBSTR(r.{column}, 1, 1) = 's' THEN 'c' ELSE 's' END,"
                f" SUBSTR(r.{column}, 2)){extra}",
                sql_dialect="duckdb",
                arrays_to_explode=[column],
            )
            for column, extra in _TRANSCRIPTION_RULES
        ]
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[_comparison_creator(c) for c in COMPARISONS[kind]],
        blocking_rules_to_generate_predictions=rules,
        probability_two_random_records_match=probability_two_random_records_match(n_records),
        retain_matching_columns=False,
        # The per-field weights (mw_ columns) become the evidence stored with a pair.
        retain_intermediate_calculation_columns=True,
    )


def save_settings(kind: Kind, path: str, n_records: int = 100_000) -> None:
    """Write the model as splink's JSON (what ``Linker(df, "model.json")`` loads), for inspection or a
    cluster job; the Python definition above stays the source."""
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI()
    df = db_api.register(empty_table(kind))
    linker = Linker(df, settings_for(kind, n_records), log_level=None)
    linker.misc.save_model_to_json(path, overwrite=True)


# -- records as tables ------------------------------------------------------------------------------
PERSON_SCHEMA: dict[str, str] = {
    "unique_id": "int64",
    "bk": "list",
    "tok": "list",
    "name_exact": "list",
    "name_han": "list",
    "name_short": "list",
    "name_src": "list",
    "name_chi": "list",
    "name_src_long": "list",
    "name_chi_long": "list",
    "tx_block": "list",
    "tx_block_long": "list",
    "name_phon": "list",
    "name_tib": "list",
    "name_fold": "list",
    "birth_year": "int32",
    "sex": "string",
    "ethnicity": "string",
    "province": "string",
    "places": "list",
    "det_y": "int32",
    "det_ym": "int32",
    "charges": "list",
    "affiliations": "list",
    "source_ids": "list",
    "source_schemes": "list",
}
PLACE_SCHEMA: dict[str, str] = {
    "unique_id": "int64",
    "name_keys": "list",
    "tokens": "list",
    "numbers": "list",
    "name_fold": "list",
    "province": "string",
    "kind": "string",
    "latitude": "float64",
    "longitude": "float64",
}
SCHEMAS = {"persons": PERSON_SCHEMA, "places": PLACE_SCHEMA}


def _arrow_schema(kind: Kind) -> Any:
    import pyarrow as pa

    types = {
        "int64": pa.int64(),
        "int32": pa.int32(),
        "string": pa.string(),
        "float64": pa.float64(),
        "list": pa.list_(pa.string()),
    }
    return pa.schema([(name, types[t]) for name, t in SCHEMAS[kind].items()])


def to_table(kind: Kind, rows: Sequence[dict[str, Any]]) -> Any:
    """Rows (dicts) as an Arrow table of the model's schema; empty lists and blanks become NULL, which
    splink's null level treats as no evidence either way."""
    import pyarrow as pa

    schema = _arrow_schema(kind)
    columns: dict[str, list[Any]] = {name: [] for name in schema.names}
    for row in rows:
        for name in schema.names:
            value = row.get(name)
            if value in ("", []) or (isinstance(value, (list, tuple, set, frozenset)) and not value):
                value = None
            elif isinstance(value, (set, frozenset, tuple)):
                value = sorted(value)
            columns[name].append(value)
    return pa.table(columns, schema=schema)


def empty_table(kind: Kind) -> Any:
    return to_table(kind, [])


# -- running ----------------------------------------------------------------------------------------
@dataclass
class Prediction:
    left: int
    right: int
    score: float
    match_weight: float
    evidence: dict[str, Any]


def evidence_for(kind: Kind, weights: dict[str, float | None]) -> dict[str, Any]:
    """Which fields agreed and how: the level's label and its weight (log2 of m/u), per field, from
    the per-field match weights the engine returns; fields with no value on one side (weight exactly
    0, splink's null level) are left out."""
    fields: dict[str, Any] = {}
    for comparison in COMPARISONS[kind]:
        weight = weights.get(comparison.name)
        if weight is None or weight == 0.0:
            continue
        level = min(comparison.levels, key=lambda lv: abs(lv.weight - float(weight)))
        fields[comparison.name] = {"level": level.label, "weight": round(float(weight), 2)}
    return {"model": MODEL_VERSION[kind], "fields": fields}


def duckdb_api(threads: int | None = None) -> Any:
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    # Bounded memory: DuckDB spills to disk beyond this instead of growing without limit.
    con.execute("SET memory_limit = '2GB'")
    con.execute("SET preserve_insertion_order = false")
    return DuckDBAPI(connection=con)


@dataclass
class Linkage:
    """One run: the linker, its predictions and (after ``cluster``) cluster ids."""

    kind: Kind
    linker: Any
    predictions: Any
    n_records: int
    # Record id -> its numbers in source databases, for the records that have any (persons only).
    source_ids: dict[int, frozenset[str]] = field(default_factory=dict)
    record_ids: list[int] = field(default_factory=list)  # every record's id, where source_ids is set

    def pairs(self, *, batch_size: int = 50_000) -> Iterator[Prediction]:
        """Scored pairs, streamed from the engine in batches (bounded memory on the Python side)."""
        weight_columns = ", ".join(f"mw_{c.name}" for c in COMPARISONS[self.kind])
        # Column and table names are the model's and splink's own, never user input.
        sql = f"select unique_id_l, unique_id_r, match_probability, match_weight, {weight_columns} from {self.predictions.physical_name}"  # noqa: S608, E501
        for batch in _batches(self.linker, sql, batch_size):
            data = batch.to_pydict()
            for i in range(batch.num_rows):
                left, right = int(data["unique_id_l"][i]), int(data["unique_id_r"][i])
                if left > right:
                    left, right = right, left
                weights = {c.name: data[f"mw_{c.name}"][i] for c in COMPARISONS[self.kind]}
                yield Prediction(
                    left=left,
                    right=right,
                    score=float(data["match_probability"][i]),
                    match_weight=float(data["match_weight"][i]),
                    evidence=evidence_for(self.kind, weights),
                )

    def clusters(self, threshold: float) -> dict[int, int]:
        """Record id -> cluster id (connected components of the pairs at or above ``threshold``).

        Where records carry numbers of source databases, two distinct records of one database never
        share a cluster (that database keeps one record per person): the pairs are joined best first
        and a pair that would join two such records is left out, so a third record that resembles
        both (two namesakes of one group arrest, reported once by another source) joins the likelier
        one only, instead of chaining the two into one person."""
        if self.source_ids:
            return self._clusters_apart(threshold)
        clustered = self.linker.clustering.cluster_pairwise_predictions_at_threshold(
            self.predictions, threshold_match_probability=threshold
        )
        result: dict[int, int] = {}
        sql = f"select unique_id, cluster_id from {clustered.physical_name}"  # noqa: S608
        for batch in _batches(self.linker, sql, 200_000):
            data = batch.to_pydict()
            for uid, cid in zip(data["unique_id"], data["cluster_id"], strict=True):
                result[int(uid)] = int(cid)
        return result

    def _clusters_apart(self, threshold: float) -> dict[int, int]:
        parent: dict[int, int] = {}
        # Per cluster root: its numbers of source databases, as (scheme, number) pairs.
        numbers: dict[int, set[tuple[str, str]]] = {
            uid: {(i.partition(":")[0], i) for i in ids} for uid, ids in self.source_ids.items()
        }

        def root(x: int) -> int:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        # Table names are splink's own; the threshold is a float.
        sql = (
            f"select unique_id_l, unique_id_r from {self.predictions.physical_name}"  # noqa: S608
            f" where match_probability >= {float(threshold)!r}"
            " order by match_probability desc, unique_id_l, unique_id_r"
        )
        for batch in _batches(self.linker, sql, 200_000):
            data = batch.to_pydict()
            for a, b in zip(data["unique_id_l"], data["unique_id_r"], strict=True):
                ra, rb = root(int(a)), root(int(b))
                if ra == rb:
                    continue
                na, nb = numbers.get(ra, set()), numbers.get(rb, set())
                if na and nb and not (na & nb) and {s for s, _ in na} & {s for s, _ in nb}:
                    continue  # two records one database keeps apart
                parent[rb] = ra
                if nb:
                    numbers[ra] = na | nb
        return {uid: root(uid) for uid in self.record_ids}


def _source_ids(table: Any) -> tuple[dict[int, frozenset[str]], list[int]]:
    """The records' numbers of source databases, from the engine's table (Arrow or Spark), and every
    record's id where any record has a number."""
    if hasattr(table, "to_pydict"):
        if "source_ids" not in table.schema.names:
            return {}, []
        data = table.select(["unique_id", "source_ids"]).to_pydict()
        pairs = list(zip(data["unique_id"], data["source_ids"], strict=True))
    else:
        if "source_ids" not in table.columns:
            return {}, []
        pairs = [(r["unique_id"], r["source_ids"]) for r in table.select("unique_id", "source_ids").collect()]
    numbers = {int(uid): frozenset(ids) for uid, ids in pairs if ids}
    return numbers, [int(uid) for uid, _ in pairs] if numbers else []


def _batches(linker: Any, sql: str, batch_size: int) -> Iterator[Any]:
    """Arrow record batches of a query, on DuckDB through its cursor, on Spark through toLocalIterator."""
    db_api = linker._db_api
    if db_api.sql_dialect.sql_dialect_str == "duckdb":
        reader = db_api._con.execute(sql).to_arrow_reader(batch_size)
        yield from reader
        return
    import pyarrow as pa

    spark_df = db_api._execute_sql_against_backend(sql)
    rows: list[dict[str, Any]] = []
    for row in spark_df.toLocalIterator():
        rows.append(row.asDict())
        if len(rows) >= batch_size:
            yield pa.RecordBatch.from_pylist(rows)
            rows = []
    if rows:
        yield pa.RecordBatch.from_pylist(rows)


def run(
    kind: Kind,
    table: Any,
    *,
    threshold: float = 0.5,
    db_api: Any = None,
    population: int | None = None,
) -> Linkage:
    """Score every blocked pair of ``table`` (Arrow table or a backend table) at or above ``threshold``.

    ``db_api`` chooses the engine: DuckDB in memory by default, or ``spark_api(spark)``. The prior
    that two records match is taken from ``population`` (default: the table's size); a test of ten
    records stands for a database of thousands."""
    from splink import Linker

    db_api = db_api or duckdb_api()
    n_records = table.num_rows if hasattr(table, "num_rows") else table.count()
    frame = db_api.register(table)
    linker = Linker(frame, settings_for(kind, max(population or 0, n_records)), log_level=None)
    if kind == "persons" and population is None and n_records >= PRIOR_ESTIMATE_MIN_RECORDS:
        _estimate_prior(linker, n_records)
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    numbers, ids = _source_ids(table) if kind == "persons" else ({}, [])
    return Linkage(
        kind=kind,
        linker=linker,
        predictions=predictions,
        n_records=n_records,
        source_ids=numbers,
        record_ids=ids,
    )


# Below this many records the count of sure matches is too small to say anything; the prior stands.
PRIOR_ESTIMATE_MIN_RECORDS = 500
# Share of true duplicates that the sure-match rules find (same name key and same birth year, or
# same name key and same month of detention): about 0.6 of duplicates share a key, and about 0.6 of
# those have both birth years or both detention months known and equal.
SURE_MATCH_RECALL = 0.35


def _estimate_prior(linker: Any, n_records: int) -> None:
    """The prior from the data itself, label-free (splink's direct estimate): pairs that agree on a
    whole name key and the birth year or the month of detention, divided by the pairs there are and
    by the share of duplicates such rules find. Kept within a factor of five of the fixed prior, so a
    database full of namesakes cannot talk the model into linking them."""
    from splink import block_on

    base = probability_two_random_records_match(n_records)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("name_exact", "birth_year", arrays_to_explode=["name_exact"]),
            block_on("name_exact", "det_ym", arrays_to_explode=["name_exact"]),
            block_on("name_tib", "birth_year", arrays_to_explode=["name_tib"]),
            block_on("name_tib", "det_ym", arrays_to_explode=["name_tib"]),
        ],
        recall=SURE_MATCH_RECALL,
    )
    settings = linker._settings_obj
    estimated = settings._probability_two_random_records_match
    settings._probability_two_random_records_match = min(max(estimated, base / 5), base * 5)


def score_against(
    kind: Kind, record: dict[str, Any], candidates: Sequence[dict[str, Any]], *, population: int = 10_000
) -> list[Prediction]:
    """Score one record against each candidate (no blocking: the caller chose the candidates).
    Left is always the candidate's id, right the record's."""
    from splink import Linker

    if not candidates:
        return []
    db_api = duckdb_api(threads=1)
    everyone = to_table(kind, [*candidates, record])
    frame = db_api.register(everyone)
    # The prior is that of the database the candidates come from (``population`` records), not of
    # this small table.
    linker = Linker(frame, settings_for(kind, max(population, len(candidates) + 1)), log_level=None)
    left = to_table(kind, [record]).to_pylist()
    right = to_table(kind, list(candidates)).to_pylist()
    scored = linker.inference.score_pairs(left, right)
    data = scored.as_record_list()
    result = []
    for row in data:
        weights = {c.name: row.get(f"mw_{c.name}") for c in COMPARISONS[kind]}
        result.append(
            Prediction(
                left=int(row["unique_id_r"]),
                right=int(row["unique_id_l"]),
                score=float(row["match_probability"]),
                match_weight=float(row["match_weight"]),
                evidence=evidence_for(kind, weights),
            )
        )
    result.sort(key=lambda p: -p.score)
    return result

"""The measure catalogue: every measure the seed names is there, and broken files say why."""

from __future__ import annotations

import pytest

from ecredit.measure.catalogue import (
    MeasureCatalogueError,
    MeasureKind,
    load_measures,
    parse_measures,
)
from ecredit.models.org import OrgKind

SEED_MEASURES = {
    "提高监管频次", "不得担任法定代表人、负责人或董事、监事、高级管理人员", "经营限制",
    "融资授信限制", "限制入驻会员", "降低信用等级", "屏蔽或关闭店铺", "查封电子商务店铺",
    "公开曝光", "搜索排序倾斜", "流量分配倾斜", "营销活动参与倾斜", "公共服务便利",
    "融资服务、利率优惠", "商贸活动推介", "重点监管",
}  # fmt: skip

VALID = """
version = 1
[[list_kinds]]
code = "black"
colour = "black"
name_zh = "黑"
[[measures]]
code = "mx"
name_zh = "措施"
name_en = "measure"
kind = "punishment"
list_kinds = ["black"]
executors = [{ org_kind = "platform" }]
legal_basis = "法"
description = "说明"
"""


class TestPackagedCatalogue:
    def test_every_seed_measure_present(self) -> None:
        names = {spec.name_zh for spec in load_measures()}
        assert names >= SEED_MEASURES

    def test_rewards_only_for_red_list_and_punishments_never(self) -> None:
        catalogue = load_measures()
        for spec in catalogue:
            red = {catalogue.colour(kind) for kind in spec.list_kinds} == {"red"}
            assert red is (spec.kind is MeasureKind.REWARD), spec.code

    def test_department_filter_when_department_named(self) -> None:
        catalogue = load_measures()
        samr = catalogue.applicable("ecommerce_serious_dishonesty", OrgKind.DEPARTMENT, "samr")
        police = catalogue.applicable("ecommerce_serious_dishonesty", OrgKind.DEPARTMENT, "police")
        assert "ban_senior_positions" in {s.code for s in samr}
        assert police == []


class TestBrokenFiles:
    def test_parses_when_valid(self) -> None:
        assert len(parse_measures(VALID, "x.toml")) == 1

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            (('kind = "punishment"', 'kind = "fine"'), "measure 'mx': kind"),
            (('list_kinds = ["black"]', 'list_kinds = ["grey"]'), "unknown list kind 'grey'"),
            (('{ org_kind = "platform" }', '{ org_kind = "bank" }'), "executors.0.org_kind"),
            (('{ org_kind = "platform" }', '{ org_kind = "platform", department = "samr" }'),
             "only allowed with org_kind 'department'"),
            (('description = "说明"', 'description = "说明"\ncolour = "x"'), "colour: unknown key"),
            (('legal_basis = "法"\n', ""), "legal_basis: Field required"),
            (("version = 1", "version = 1\n[[measures]]\nnope"), "toml"),
        ],
    )  # fmt: skip
    def test_names_the_problem_when_invalid(self, change: tuple[str, str], expected: str) -> None:
        with pytest.raises(MeasureCatalogueError) as error:
            parse_measures(VALID.replace(*change), "bad.toml")
        assert expected in str(error.value)
        assert "bad.toml" in str(error.value)

    def test_duplicate_code_refused(self) -> None:
        text = VALID + VALID[VALID.index("[[measures]]") :]
        with pytest.raises(MeasureCatalogueError, match="measure 'mx': code: defined twice"):
            parse_measures(text, "dup.toml")

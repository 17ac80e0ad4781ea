"""Evaluating subjects against a real database: what counts, snapshots, grades, thresholds,
and the bulk path giving exactly what the one-subject path gives."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from ecredit.authz.principals import SYSTEM
from ecredit.kit.errors import Conflict
from ecredit.models.record import Severity
from ecredit.models.scoring import Evaluation, Grade, SubjectGrade
from ecredit.parameters.service import parameter_service
from ecredit.record.schemas import RecordAmendment, RecordCorrection
from tests.factories import records as rec
from tests.scoring.conftest import DAY, Desk


def evaluations(desk: Desk, subject_id: int) -> int:
    query = select(func.count()).select_from(Evaluation).where(Evaluation.subject_id == subject_id)
    return desk.session.scalar(query) or 0


class TestWhatCounts:
    def test_penalty_counts_with_its_record_id_when_in_force(self, desk: Desk) -> None:
        merchant = desk.merchant()
        penalty = desk.record(rec.penalty(merchant.id, DAY))
        evaluation = desk.scoring.evaluate_subject(desk.session, merchant.id)
        assert (evaluation.score, evaluation.grade) == (700, Grade.B)
        [row] = [r for r in evaluation.contributions if r["record_id"] is not None]
        assert (row["record_id"], row["indicator"], row["points"]) == (penalty.id, "penalty", -60)
        assert sum(r["points"] for r in evaluation.contributions) == evaluation.score

    def test_record_stops_counting_when_revoked(self, desk: Desk) -> None:
        merchant = desk.merchant()
        penalty = desk.record(rec.penalty(merchant.id, DAY))
        desk.records.revoke(desk.session, penalty.id, RecordAmendment(reason="复议撤销"), SYSTEM)
        assert desk.scoring.evaluate_subject(desk.session, merchant.id).score == 760

    def test_record_stops_counting_when_repaired(self, desk: Desk) -> None:
        merchant = desk.merchant()
        brushing = desk.record(rec.dishonest(merchant.id, DAY))
        assert desk.scoring.evaluate_subject(desk.session, merchant.id).score == 560
        desk.repair(brushing)
        assert desk.scoring.evaluate_subject(desk.session, merchant.id).score == 760

    def test_current_version_counts_when_corrected(self, desk: Desk) -> None:
        merchant = desk.merchant()
        penalty = desk.record(rec.penalty(merchant.id, DAY))
        correction = RecordCorrection(severity=Severity.SERIOUS, reason="更正处罚等级")
        desk.records.correct(desk.session, penalty.id, correction, SYSTEM)
        evaluation = desk.scoring.evaluate_subject(desk.session, merchant.id)
        assert evaluation.score == 760 - 150
        assert [r["record_id"] for r in evaluation.contributions if r["record_id"]] == [penalty.id]

    def test_record_stops_counting_when_publicity_ended_early(self, desk: Desk) -> None:
        merchant = desk.merchant()
        penalty = desk.record(rec.penalty(merchant.id, DAY - timedelta(days=30)))
        ended = RecordAmendment(reason="提前终止公示", effective=DAY - timedelta(days=1))
        desk.records.end_publicity(desk.session, penalty.id, ended, SYSTEM)
        assert desk.scoring.evaluate_subject(desk.session, merchant.id).score == 760


class TestSnapshots:
    def test_new_row_and_old_unchanged_when_evaluated_again(self, desk: Desk) -> None:
        merchant = desk.merchant()
        first = desk.scoring.evaluate_subject(desk.session, merchant.id)
        kept = (first.id, first.score, list(first.contributions))
        desk.record(rec.penalty(merchant.id, DAY))
        second = desk.scoring.evaluate_subject(desk.session, merchant.id)
        assert second.id > first.id
        assert evaluations(desk, merchant.id) == 2
        desk.session.expire_all()
        again = desk.session.get_one(Evaluation, kept[0])
        assert (again.id, again.score, again.contributions) == kept
        assert (again.model_code, again.model_version) == ("ecommerce_subject", 1)

    def test_grade_since_kept_when_grade_unchanged(self, desk: Desk) -> None:
        merchant = desk.merchant()
        desk.scoring.evaluate_subject(desk.session, merchant.id)
        desk.on(DAY + timedelta(days=5))
        desk.record(rec.penalty(merchant.id, DAY + timedelta(days=5), severity=Severity.MINOR))
        latest = desk.scoring.evaluate_subject(desk.session, merchant.id)
        grade = desk.session.get_one(SubjectGrade, merchant.id)
        assert (grade.grade, grade.score, grade.grade_since) == (Grade.B, 740, DAY)
        assert grade.evaluation_id == latest.id

    def test_grade_since_moves_when_grade_changes(self, desk: Desk) -> None:
        merchant = desk.merchant()
        desk.scoring.evaluate_subject(desk.session, merchant.id)
        later = DAY + timedelta(days=9)
        desk.on(later)
        desk.record(rec.dishonest(merchant.id, later))
        desk.scoring.evaluate_subject(desk.session, merchant.id)
        grade = desk.session.get_one(SubjectGrade, merchant.id)
        assert (grade.grade, grade.grade_since) == (Grade.C, later)


class TestThresholdParameters:
    def test_grade_changes_when_threshold_parameter_changes(self, desk: Desk) -> None:
        merchant = desk.merchant()
        assert desk.scoring.evaluate_subject(desk.session, merchant.id).grade is Grade.B
        parameter_service.set(desk.session, "scoring.grade_b_min", 780, reason="从严")
        assert desk.scoring.evaluate_subject(desk.session, merchant.id).grade is Grade.C
        parameter_service.set(desk.session, "scoring.grade_a_min", 750, reason="试点")
        parameter_service.set(desk.session, "scoring.grade_b_min", 700, reason="试点")
        assert desk.scoring.evaluate_subject(desk.session, merchant.id).grade is Grade.A

    def test_refused_with_parameter_names_when_thresholds_out_of_order(self, desk: Desk) -> None:
        merchant = desk.merchant()
        parameter_service.set(desk.session, "scoring.grade_b_min", 900)
        with pytest.raises(Conflict, match=r"scoring\.grade_a_min.*850, 900, 550"):
            desk.scoring.evaluate_subject(desk.session, merchant.id)


class TestBulk:
    def crafted(self, desk: Desk) -> list[int]:
        """Files with every kind of history: corrections, revocations, repairs, expiries."""
        old = DAY - timedelta(days=200)
        plain, unverified, busy, amended = (desk.merchant(), desk.merchant(verified=False),
                                            desk.merchant(), desk.merchant())  # fmt: skip
        desk.record(rec.honour(busy.id, old))
        desk.record(rec.dishonest(busy.id, old, "malicious_fraud"))
        desk.record(rec.dishonest(busy.id, DAY, "complaint_upheld"))
        desk.record(rec.judgment_debtor(unverified.id, old, None))
        fixed = desk.record(rec.penalty(amended.id, old))
        correction = RecordCorrection(severity=Severity.MINOR, reason="更正")
        desk.records.correct(desk.session, fixed.id, correction, SYSTEM)
        gone = desk.record(rec.penalty(amended.id, DAY))
        desk.records.revoke(desk.session, gone.id, RecordAmendment(reason="撤销"), SYSTEM)
        desk.repair(desk.record(rec.dishonest(amended.id, old)))
        early = desk.record(rec.dishonest(amended.id, old, "fake_traffic"))
        ended = RecordAmendment(reason="提前终止", effective=DAY - timedelta(days=2))
        desk.records.end_publicity(desk.session, early.id, ended, SYSTEM)
        desk.record(rec.dishonest(amended.id, old - timedelta(days=800), "price_fraud"))  # expired
        for day in (old, DAY):
            desk.record(rec.dishonest(plain.id, day, "commitment_kept"))
        return [plain.id, unverified.id, busy.id, amended.id]

    @pytest.mark.parametrize("chunk", [1, 3, 1000])
    def test_bulk_equals_one_by_one_when_files_are_crafted(self, desk: Desk, chunk: int) -> None:
        ids = self.crafted(desk)
        as_of = DAY + timedelta(days=3)
        expected = {i: desk.scoring.outcome(desk.session, i, as_of) for i in ids}
        summary = desk.scoring.evaluate_all(desk.session, as_of, chunk=chunk)
        assert summary.subjects == len(ids)
        for subject_id in ids:
            latest = desk.scoring.latest(desk.session, subject_id)
            assert (latest.score, latest.contributions, latest.as_of) == (
                expected[subject_id].score, expected[subject_id].contributions, as_of,
            )  # fmt: skip
            assert desk.session.get_one(SubjectGrade, subject_id).evaluation_id == latest.id
        scores = [expected[i].score for i in ids]
        assert len(set(scores)) == len(ids), "the crafted files must differ"

    def test_grades_upserted_and_progress_told_when_run_twice(self, desk: Desk) -> None:
        ids = self.crafted(desk)
        seen: list[int] = []
        desk.scoring.evaluate_all(desk.session, DAY, progress=seen.append, chunk=2)
        desk.scoring.evaluate_all(desk.session, DAY + timedelta(days=1), chunk=2)
        assert seen == [2, 4]
        grades = {g.subject_id: g for g in desk.session.scalars(select(SubjectGrade))}
        assert set(grades) == set(ids)
        assert all(g.grade_since == DAY for g in grades.values())
        assert len({g.evaluated_at for g in grades.values()}) == 1  # every grade is fresh
        # plain's commitments decay: a new snapshot; unverified's file is unchanged: none.
        assert desk.session.get_one(Evaluation, grades[ids[0]].evaluation_id).as_of == date(
            2026, 3, 3
        )
        assert [evaluations(desk, i) for i in ids[:2]] == [2, 1]

    @pytest.mark.parametrize("bulk", [False, True])
    def test_no_new_snapshot_when_nothing_changed(self, desk: Desk, bulk: bool) -> None:
        merchant, changed = desk.merchant(), desk.merchant()
        for day in (DAY, DAY + timedelta(days=1)):
            if bulk:
                desk.scoring.evaluate_all(desk.session, day)
            else:
                desk.scoring.evaluate_subject(desk.session, merchant.id, day)
                desk.scoring.evaluate_subject(desk.session, changed.id, day)
            desk.record(rec.penalty(changed.id, day))
            if day == DAY:
                first = desk.session.get_one(SubjectGrade, merchant.id).evaluated_at
        assert (evaluations(desk, merchant.id), evaluations(desk, changed.id)) == (1, 2)
        grade = desk.session.get_one(SubjectGrade, merchant.id)
        latest = desk.scoring.latest(desk.session, merchant.id)
        assert (grade.evaluation_id, latest.as_of) == (latest.id, DAY)
        assert grade.evaluated_at > first  # the grade row says when it was last confirmed
        expected = desk.scoring.outcome(desk.session, merchant.id, DAY + timedelta(days=1))
        assert (latest.score, latest.contributions) == (expected.score, expected.contributions)

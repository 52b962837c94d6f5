"""The track holds to its writing standard (courses.content_standard): quiz banks of 20+ without cues,
lessons of varied shape, and reading lists made only of verified registry references. On a failure the
message lists each quiz's measurements (bank size, fewest questions per lesson, true/false keys,
multiple-choice shapes, how often the right answer is the longest) and every fault."""

from django.conf import settings

from courses.content_standard import audit


def test_the_track_meets_its_writing_standard():
    reports, faults = audit(settings.TRACK_PATH)
    assert len(reports) == 50
    assert all(report.bank >= 20 for report in reports)
    assert not faults, "\n".join([*(r.line() for r in reports), "", *faults])

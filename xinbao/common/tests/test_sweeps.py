from django.core.management import call_command

from xinbao.common.sweeps import all_sweeps


def test_every_capability_registers_its_sweep():
    assert {s.name for s in all_sweeps()} >= {"emergencies", "followups"}


def test_run_sweeps_once(db, capsys):
    call_command("run_sweeps")
    out = capsys.readouterr().out
    assert "emergencies: alerted=0 escalated=0" in out and "followups: reminded=0" in out

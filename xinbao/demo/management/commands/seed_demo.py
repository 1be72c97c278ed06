"""``python manage.py seed_demo [--scale demo|province] [--seed N] [--if-empty]``: load the fictional province."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xinbao.common.errors import DomainError, NotPermitted
from xinbao.demo.catalog import SCALES
from xinbao.demo.key_accounts import DEFAULT_SEED, DEMO_PASSWORD
from xinbao.demo.services import demo_seed
from xinbao.orgs.models import Unit


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # A property, not a lazy string: argparse runs re.sub over the text and refuses a lazy proxy.
        return _(
            "装入虚构的演示省份“明江省”（单位、人员、信息员备案、演示账号）；同一随机种子总是得到相同的数据"
        )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="demo",
            help=_("demo：约300个单位（默认）；province：5000个单位、20000人，用于性能测试"),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=_("随机种子（默认 %(seed)d）") % {"seed": DEFAULT_SEED},
        )
        parser.add_argument(
            "--if-empty", action="store_true", help=_("数据库中已有单位时不做任何事（make run 使用）")
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["if_empty"] and Unit.objects.exists():
            self.stdout.write(_("数据库中已有单位数据，不再装入演示数据。"))
            return
        scale = SCALES[options["scale"]]
        self.stdout.write(
            _("正在装入演示数据（规模：%(scale)s，随机种子：%(seed)d）……")
            % {"scale": scale.label, "seed": options["seed"]}
        )
        started = time.monotonic()
        try:
            context = demo_seed(scale=scale.name, seed=options["seed"], log=self.stdout.write)
        except NotPermitted as exc:
            raise CommandError(exc.message, returncode=2) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        c = context.counts
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "演示数据已装入：单位 %(units)d 个，人员 %(people)d 人，"
                    "信息员备案 %(records)d 条，用时 %(seconds).1f 秒。"
                )
                % {
                    "units": c.get("units", 0),
                    "people": c.get("people", 0),
                    "records": c.get("informant_records", 0),
                    "seconds": time.monotonic() - started,
                }
            )
        )
        self.stdout.write(
            _("所有演示账号的密码：%(password)s；运行 python manage.py demo_accounts 查看演示账号。")
            % {"password": DEMO_PASSWORD}
        )

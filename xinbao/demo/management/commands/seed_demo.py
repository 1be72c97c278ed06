"""``python manage.py seed_demo [--scale demo|province] [--seed N] [--if-empty]``: load the fictional province."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from xinbao.common.errors import DomainError, NotPermitted
from xinbao.demo.catalog import SCALES
from xinbao.demo.key_accounts import DEFAULT_SEED, DEMO_PASSWORD
from xinbao.demo.services import demo_seed
from xinbao.orgs.models import Unit


class Command(BaseCommand):
    help = "装入虚构的演示省份“明江省”（单位、人员、信息员备案、演示账号）；同一随机种子总是得到相同的数据"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="demo",
            help="demo：约300个单位（默认）；province：5000个单位、20000人，用于性能测试",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库中已有单位时不做任何事（make run 使用）"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["if_empty"] and Unit.objects.exists():
            self.stdout.write("数据库中已有单位数据，不再装入演示数据。")
            return
        scale = SCALES[options["scale"]]
        self.stdout.write(f"正在装入演示数据（规模：{scale.label}，随机种子：{options['seed']}）……")
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
                f"演示数据已装入：单位 {c.get('units', 0)} 个，人员 {c.get('people', 0)} 人，"
                f"信息员备案 {c.get('informant_records', 0)} 条，用时 {time.monotonic() - started:.1f} 秒。"
            )
        )
        self.stdout.write(
            f"所有演示账号的密码：{DEMO_PASSWORD}；运行 python manage.py demo_accounts 查看演示账号。"
        )

"""``gongkai searchindex``: which index holds the PostgreSQL search vectors, and switching it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from gongkai.search import pg_index


class Command(BaseCommand):
    help = "显示或切换 PostgreSQL 检索索引（GIN 总是有；另加 RUM 后词组和相关度检索快，需要 rum 扩展）。"

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rum", action="store_true", help="加建 RUM 索引（需要已安装 rum 扩展）")
        group.add_argument("--gin", action="store_true", help="去掉 RUM 索引，只用 GIN")

    def handle(self, *args: Any, **opts: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write(f"{connection.vendor}：检索用 SQLite FTS5，没有可切换的索引")
            return
        if opts["rum"]:
            if not pg_index.rum_available(connection):
                raise CommandError(
                    "这台 PostgreSQL 没有 rum 扩展：请先安装软件包 postgresql-NN-rum（NN 为服务器主版本）"
                )
            self.stdout.write("正在建立 RUM 索引（大库需要几分钟，期间检索照常）…")
            pg_index.use_best(connection, verbose=True)
        elif opts["gin"]:
            pg_index.use_gin(connection)
        pg_index.forget()
        kind = pg_index.kind(connection)
        note = (
            "GIN + RUM：词组由索引确认，相关度由索引排序"
            if kind == "rum"
            else "只有 GIN：词组逐行复核（较慢）；安装 rum 扩展后运行 gongkai searchindex --rum"
        )
        available = "可用" if pg_index.rum_available(connection) else "未安装"
        self.stdout.write(f"检索索引：{note}；rum 扩展：{available}")
        if pg_index.ngrams(connection):
            self.stdout.write("索引格式：二至四个字的词各为一个词条（由 GIN 直接精确回答）")
        else:
            self.stdout.write(
                "索引格式：旧格式，三个字以上的词按二元组短语检索（结果相同，较慢）；运行 gongkai reindex 启用新格式"
            )

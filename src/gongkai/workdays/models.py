from __future__ import annotations

from django.db import models


class CalendarYear(models.Model):
    """A year whose official holiday notice has been imported by an administrator.

    Years covered by ``chinese-calendar`` need no row; a year beyond it is usable only once its notice is
    imported here, so the calendar never silently guesses.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    notice = models.CharField("通知文号/名称", max_length=200, blank=True)
    imported_at = models.DateTimeField("导入时间", auto_now=True)

    class Meta:
        verbose_name = "已导入年度放假安排"
        verbose_name_plural = verbose_name
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} {self.notice}"


class CalendarOverride(models.Model):
    """One date marked as a holiday or a working day, on top of the official calendar."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("名称", max_length=100, blank=True, help_text="如：春节、调休上班、民族节日")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "日历调整"
        verbose_name_plural = verbose_name
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}"

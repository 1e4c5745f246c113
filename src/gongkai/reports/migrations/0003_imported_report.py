import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_login_throttle"),
        ("reports", "0002_narrative_drafts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportedReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="报告年度")),
                ("is_rollup", models.BooleanField(default=False, verbose_name="汇总报告")),
                ("content", models.TextField(verbose_name="报告内容（JSON）")),
                ("sha256", models.CharField(max_length=64, verbose_name="内容 SHA-256")),
                ("source_name", models.CharField(max_length=255, verbose_name="源文件名")),
                ("source_sha256", models.CharField(max_length=64, verbose_name="源文件 SHA-256")),
                ("source_kind", models.CharField(max_length=20, verbose_name="源文件类型")),
                ("findings", models.TextField(default="[]", verbose_name="审查结果（JSON）")),
                ("imported_at", models.DateTimeField(auto_now_add=True, verbose_name="导入时间")),
                (
                    "imported_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="导入人",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="imported_reports",
                        to="agencies.unit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "导入的往年年度报告",
                "verbose_name_plural": "导入的往年年度报告",
                "ordering": ("unit", "year", "imported_at"),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("unit", "year", "is_rollup", "source_sha256"),
                        name="imported_report_unique_file",
                    )
                ],
            },
        ),
    ]

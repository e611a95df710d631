"""Команда regions_build_tree: построить или перестроить деревья страниц регионов и сайты Wagtail."""

from django.core.management.base import BaseCommand, CommandError

from regions import conf
from regions.services import region_tree_build


class Command(BaseCommand):
    help = (
        "Создать недостающие домашние страницы регионов и привести сайты Wagtail к режиму "
        "(подпапки или поддомены). Страницы не удаляются и не перемещаются."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mode", choices=conf.TREE_MODES, help="режим дерева; по умолчанию REGIONS_TREE_MODE")
        parser.add_argument("--base-domain", help="домен сайта; по умолчанию REGIONS_BASE_DOMAIN")

    def handle(self, *args, mode=None, base_domain=None, **options):
        """Вызвать services.region_tree_build и вывести журнал изменений."""
        try:
            region_tree_build(mode=mode, base_domain=base_domain, log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Деревья регионов готовы."))

"""Медиа в S3-совместимом хранилище (django-storages + boto3) против локального S3: moto в режиме
сервера — настоящий HTTP-сервер с протоколом S3 на 127.0.0.1, наш клиент ходит к нему как к
Yandex Object Storage. Оригиналы, рендишены Wagtail, файлы обмена."""

import io
import subprocess
import uuid

import boto3
import openpyxl
import pytest
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from commerce.exchange import export
from commerce.exchange.models import ExportJob, ImportJob
from tests.factories.exchange import import_preview, xlsx_bytes
from tests.scaling import engines

MOTO_PORT = 8170
ENDPOINT = f"http://127.0.0.1:{MOTO_PORT}"
CREDENTIALS = {"aws_access_key_id": "megashop-test", "aws_secret_access_key": "megashop-test-secret"}


@pytest.fixture(scope="module")
def moto_server(tmp_path_factory):
    moto = engines.VENV_BIN / "moto_server"
    if not moto.exists():
        pytest.skip("нет moto_server: pip install -r requirements-dev.txt (moto, Flask)")
    assert engines.port_free(MOTO_PORT), f"порт {MOTO_PORT} занят"
    process = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(MOTO_PORT)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        engines.port_wait(MOTO_PORT)
        yield ENDPOINT
    finally:
        engines.process_stop(process)


@pytest.fixture
def s3_bucket(moto_server, settings):
    """Свой бакет на тест и хранилище медиа в нём — как с MEDIA_S3_BUCKET в production."""
    bucket = f"megashop-media-{uuid.uuid4().hex[:8]}"
    client = boto3.client("s3", endpoint_url=moto_server, region_name="ru-central1", **CREDENTIALS)
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ru-central1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": moto_server,
                "region_name": "ru-central1",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }
    return client, bucket


def _keys(client, bucket, prefix=""):
    return {item["Key"] for item in client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])}


def _png(width=120, height=80):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    buffer.seek(0)
    return ImageFile(buffer, name="red.png")


@pytest.mark.django_db
def test_original_and_renditions_are_written_to_s3(s3_bucket):
    client, bucket = s3_bucket
    # given: изображение загружено в Wagtail
    image = get_image_model().objects.create(title="Красный", file=_png())
    # when: витрине нужен рендишен
    rendition = image.get_rendition("fill-40x40")
    # then: и оригинал, и рендишен лежат в бакете, ссылки ведут в хранилище
    keys = _keys(client, bucket)
    assert image.file.name in keys
    assert rendition.file.name in keys
    assert rendition.url.startswith(f"{ENDPOINT}/{bucket}/")
    stored = client.get_object(Bucket=bucket, Key=rendition.file.name)["Body"].read()
    assert PillowImage.open(io.BytesIO(stored)).size == (40, 40)


@pytest.mark.django_db
def test_exchange_import_and_export_files_live_in_s3(s3_bucket):
    client, bucket = s3_bucket
    # given: файл импорта принят и проверен пробным прогоном (файл читается из S3)
    rows = [["sku", "name", "category"], ["S3-1", "Товар из хранилища", "Хранилище"]]
    job = import_preview(xlsx_bytes(rows), create_missing=True)
    # when: выгрузка каталога
    export_job = export.export_job_create(user=None, enqueue=False)
    export.export_run(job=ExportJob.objects.get(pk=export_job.pk))
    export_job.refresh_from_db()
    # then: загруженный и выгруженный файлы — объекты бакета, проверка прочитала файл из S3
    keys = _keys(client, bucket, prefix="exchange/")
    assert ImportJob.objects.get(pk=job.pk).file.name in keys
    assert job.status == "preview", job.error_message
    assert job.rows_total == 1
    assert export_job.file.name in keys
    exported = client.get_object(Bucket=bucket, Key=export_job.file.name)["Body"].read()
    assert openpyxl.load_workbook(io.BytesIO(exported), read_only=True).sheetnames

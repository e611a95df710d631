from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_productoffer_partial_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="productoffer",
            name="discount_label",
            field=models.CharField(blank=True, db_default="", default="", max_length=40),
        ),
    ]

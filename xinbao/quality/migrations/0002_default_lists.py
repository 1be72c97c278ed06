from django.db import migrations


def seed(apps, schema_editor):
    from xinbao.quality.defaults import MISWRITINGS, SECRECY, SENSITIVE

    WordingRule = apps.get_model("quality", "WordingRule")
    SecrecyKeyword = apps.get_model("quality", "SecrecyKeyword")
    for kind, rows in (("miswriting", MISWRITINGS), ("sensitive", SENSITIVE)):
        for wrong, correct, note in rows:
            WordingRule.objects.get_or_create(
                kind=kind, wrong=wrong, defaults={"correct": correct, "note": note}
            )
    for word, note in SECRECY:
        SecrecyKeyword.objects.get_or_create(word=word, defaults={"note": note})


def unseed(apps, schema_editor):
    from xinbao.quality.defaults import MISWRITINGS, SECRECY, SENSITIVE

    apps.get_model("quality", "WordingRule").objects.filter(
        wrong__in=[w for w, _c, _n in MISWRITINGS + SENSITIVE]
    ).delete()
    apps.get_model("quality", "SecrecyKeyword").objects.filter(word__in=[w for w, _n in SECRECY]).delete()


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

"""The item's columns on each reach row (see ReportReach), filled for existing rows and kept by triggers.

PostgreSQL: a BEFORE INSERT trigger copies the item's columns into a new reach row (COPY and bulk inserts too), and
an AFTER UPDATE trigger on the item copies a changed state, visibility or submission time to all its reach rows.
SQLite: the same with AFTER triggers (SQLite cannot assign NEW). Unit and creation time never change on an item.
"""

from django.db import migrations, models

PG_UP = """
CREATE FUNCTION reports_reach_fill() RETURNS trigger AS $$
BEGIN
  SELECT r.unit_id, r.state, r.visibility, r.submitted_at, r.created_at
    INTO NEW.report_unit_id, NEW.report_state, NEW.report_visibility, NEW.report_submitted_at,
         NEW.report_created_at
    FROM reports_report r WHERE r.id = NEW.report_id;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_reach_fill BEFORE INSERT ON reports_reportreach
  FOR EACH ROW EXECUTE FUNCTION reports_reach_fill();
CREATE FUNCTION reports_reach_follow() RETURNS trigger AS $$
BEGIN
  UPDATE reports_reportreach
     SET report_state = NEW.state, report_visibility = NEW.visibility, report_submitted_at = NEW.submitted_at
   WHERE report_id = NEW.id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_reach_follow AFTER UPDATE OF state, visibility, submitted_at ON reports_report
  FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.visibility IS DISTINCT FROM NEW.visibility
                     OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at)
  EXECUTE FUNCTION reports_reach_follow();
UPDATE reports_reportreach rr
   SET report_unit_id = r.unit_id, report_state = r.state, report_visibility = r.visibility,
       report_submitted_at = r.submitted_at, report_created_at = r.created_at
  FROM reports_report r WHERE r.id = rr.report_id;
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS reports_reach_follow ON reports_report;
DROP FUNCTION IF EXISTS reports_reach_follow();
DROP TRIGGER IF EXISTS reports_reach_fill ON reports_reportreach;
DROP FUNCTION IF EXISTS reports_reach_fill();
"""
SQLITE_UP = [
    """CREATE TRIGGER reports_reach_fill AFTER INSERT ON reports_reportreach BEGIN
         UPDATE reports_reportreach SET
           (report_unit_id, report_state, report_visibility, report_submitted_at, report_created_at) =
           (SELECT unit_id, state, visibility, submitted_at, created_at FROM reports_report WHERE id = NEW.report_id)
         WHERE id = NEW.id;
       END;""",
    """CREATE TRIGGER reports_reach_follow AFTER UPDATE OF state, visibility, submitted_at ON reports_report
       WHEN OLD.state IS NOT NEW.state OR OLD.visibility IS NOT NEW.visibility
            OR OLD.submitted_at IS NOT NEW.submitted_at
       BEGIN
         UPDATE reports_reportreach
            SET report_state = NEW.state, report_visibility = NEW.visibility, report_submitted_at = NEW.submitted_at
          WHERE report_id = NEW.id;
       END;""",
    """UPDATE reports_reportreach SET
         (report_unit_id, report_state, report_visibility, report_submitted_at, report_created_at) =
         (SELECT unit_id, state, visibility, submitted_at, created_at FROM reports_report
           WHERE reports_report.id = reports_reportreach.report_id);""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS reports_reach_follow;", "DROP TRIGGER IF EXISTS reports_reach_fill;"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        for sql in SQLITE_UP:
            schema_editor.execute(sql)
    else:  # pragma: no cover - the project runs on these two only
        raise NotImplementedError(vendor)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in [PG_DOWN] if vendor == "postgresql" else SQLITE_DOWN if vendor == "sqlite" else []:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("reports", "0003_submission_office_date_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportreach",
            name="report_created_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="reportreach",
            name="report_state",
            field=models.CharField(editable=False, max_length=20, null=True),
        ),
        migrations.AddField(
            model_name="reportreach",
            name="report_submitted_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="reportreach",
            name="report_unit_id",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="reportreach",
            name="report_visibility",
            field=models.CharField(editable=False, max_length=12, null=True),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="reportreach",
            index=models.Index(
                fields=[
                    "office",
                    "-report_submitted_at",
                    "-report_created_at",
                    "-report",
                    "report_state",
                    "report_visibility",
                    "report_unit_id",
                ],
                name="reports_reach_office_list_idx",
            ),
        ),
    ]

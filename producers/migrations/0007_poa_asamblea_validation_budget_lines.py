"""The POA as associations write it: the asamblea general approves the plan, the NGO coordinator validates
it (plans and steps stored as 'approved' become 'validated'); budget lines get quantity × unit cost and cash
or in-kind contributions; 'Municipality (participatory budget)' lines become the municipality's Procompite
(added to a Procompite line of the same activity if there is one).

Backwards: 'validated' reads 'approved' again and the new steps (asamblea, municipality) are dropped;
Agroideas and credit lines fold into 'other' and in-kind lines into the cash line of their source, so that
one line per activity and source holds again. Lines that were moved to Procompite stay there (nothing
records which were)."""

import django.db.models.deletion
import kallpanchis.core.uploads
import django.db.models.expressions
import django.db.models.functions.math
from django.conf import settings
from django.db import migrations, models


def _merge(BudgetLine, line, source, contribution):
    """Move `line` to (source, contribution), adding it to the line already there if there is one."""
    target = (
        BudgetLine.objects.filter(activity_id=line.activity_id, source=source, contribution=contribution)
        .exclude(pk=line.pk)
        .first()
    )
    if target is None:
        line.source, line.contribution = source, contribution
        line.save(update_fields=["source", "contribution"])
        return
    target.amount += line.amount
    target.unit_cost, target.units = target.amount, 1
    target.save(update_fields=["amount", "unit_cost", "units"])
    line.delete()


def forward(apps, schema_editor):
    OperatingPlan = apps.get_model("producers", "OperatingPlan")
    PlanEvent = apps.get_model("producers", "PlanEvent")
    BudgetLine = apps.get_model("producers", "BudgetLine")
    OperatingPlan.objects.filter(status="approved").update(status="validated")
    PlanEvent.objects.filter(action="approved").update(action="validated")
    PlanEvent.objects.filter(from_status="approved").update(from_status="validated")
    PlanEvent.objects.filter(to_status="approved").update(to_status="validated")
    BudgetLine.objects.update(unit_cost=models.F("amount"), units=1)
    for line in BudgetLine.objects.filter(source="municipality").order_by("pk"):
        _merge(BudgetLine, line, "procompite", "cash")


def backward(apps, schema_editor):
    OperatingPlan = apps.get_model("producers", "OperatingPlan")
    PlanEvent = apps.get_model("producers", "PlanEvent")
    BudgetLine = apps.get_model("producers", "BudgetLine")
    PlanEvent.objects.filter(action__in=["assembly", "municipality"]).delete()
    OperatingPlan.objects.filter(status="validated").update(status="approved")
    PlanEvent.objects.filter(action="validated").update(action="approved")
    PlanEvent.objects.filter(from_status="validated").update(from_status="approved")
    PlanEvent.objects.filter(to_status="validated").update(to_status="approved")
    for line in BudgetLine.objects.filter(source__in=["agroideas", "credit"]).order_by("pk"):
        _merge(BudgetLine, line, "other", line.contribution)
    for line in BudgetLine.objects.filter(contribution="in_kind").order_by("pk"):
        _merge(BudgetLine, line, line.source, "cash")


class Migration(migrations.Migration):

    dependencies = [
        ('producers', '0006_member_person_link'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='budgetline',
            options={'ordering': ['activity', 'source', 'contribution'], 'verbose_name': 'budget line', 'verbose_name_plural': 'budget lines'},
        ),
        migrations.RemoveConstraint(
            model_name='budgetline',
            name='budget_line_once_per_source',
        ),
        migrations.AddField(
            model_name='budgetline',
            name='contribution',
            field=models.CharField(choices=[('cash', 'Cash'), ('in_kind', 'In kind (valued)')], default='cash', max_length=8, verbose_name='contribution'),
        ),
        migrations.AddField(
            model_name='budgetline',
            name='unit_cost',
            field=models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name='unit cost (S/)'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='budgetline',
            name='units',
            field=models.DecimalField(decimal_places=2, default=1, max_digits=12, verbose_name='quantity'),
        ),
        migrations.AddField(
            model_name='operatingplan',
            name='assembly_call',
            field=models.CharField(choices=[('first', 'First call'), ('second', 'Second call')], default='first', max_length=6, verbose_name='call'),
        ),
        migrations.AddField(
            model_name='operatingplan',
            name='assembly_date',
            field=models.DateField(blank=True, null=True, verbose_name='date of the asamblea'),
        ),
        migrations.AddField(
            model_name='operatingplan',
            name='assembly_members_present',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='members present'),
        ),
        migrations.AddField(
            model_name='operatingplan',
            name='assembly_members_total',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='members in good standing'),
        ),
        migrations.AddField(
            model_name='operatingplan',
            name='assembly_minutes_file',
            field=models.FileField(blank=True, upload_to=kallpanchis.core.uploads.PrivatePath('producers/asamblea'), validators=[kallpanchis.core.uploads.DocumentValidator()], verbose_name='acta (scan or photo)'),
        ),
        migrations.AddField(
            model_name='operatingplan',
            name='assembly_minutes_ref',
            field=models.CharField(blank=True, max_length=120, verbose_name='acta (book and page)'),
        ),
        migrations.AddField(
            model_name='operatingplan',
            name='assembly_votes_for',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='votes in favour'),
        ),
        migrations.AddField(
            model_name='operatingplan',
            name='municipality_validated_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='validated by the municipality'),
        ),
        migrations.AddField(
            model_name='operatingplan',
            name='municipality_validated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='budgetline',
            name='amount',
            field=models.DecimalField(decimal_places=2, max_digits=14, verbose_name='amount (S/)'),
        ),
        migrations.AlterField(
            model_name='budgetline',
            name='source',
            field=models.CharField(choices=[('own', 'Own contribution'), ('procompite', 'Municipality (Procompite)'), ('agroideas', 'Agroideas'), ('ngo', 'NGO / cooperation'), ('credit', 'Credit'), ('other', 'Other')], max_length=12, verbose_name='source'),
        ),
        migrations.AlterField(
            model_name='operatingplan',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned'), ('resubmitted', 'Resubmitted'), ('validated', 'Validated')], default='draft', max_length=12, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='planevent',
            name='action',
            field=models.CharField(choices=[('created', 'Started'), ('submitted', 'Submitted'), ('returned', 'Returned with comments'), ('resubmitted', 'Resubmitted'), ('assembly', 'Approved by the asamblea general'), ('municipality', 'Validated by the municipality'), ('validated', 'Validated'), ('new_version', 'New version started')], max_length=12, verbose_name='step'),
        ),
        migrations.AlterField(
            model_name='planevent',
            name='from_status',
            field=models.CharField(blank=True, choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned'), ('resubmitted', 'Resubmitted'), ('validated', 'Validated')], max_length=12),
        ),
        migrations.AlterField(
            model_name='planevent',
            name='to_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned'), ('resubmitted', 'Resubmitted'), ('validated', 'Validated')], max_length=12),
        ),
        migrations.RunPython(forward, backward),
        migrations.AddConstraint(
            model_name='budgetline',
            constraint=models.UniqueConstraint(fields=('activity', 'source', 'contribution'), name='budget_line_once_per_source_kind'),
        ),
        migrations.AddConstraint(
            model_name='budgetline',
            constraint=models.CheckConstraint(condition=models.Q(('unit_cost__gte', 0), ('units__gte', 0)), name='budget_line_units_cost_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='budgetline',
            constraint=models.CheckConstraint(condition=models.Q(('amount', django.db.models.functions.math.Round(django.db.models.expressions.CombinedExpression(models.F('units'), '*', models.F('unit_cost')), 2))), name='budget_line_amount_is_units_times_cost'),
        ),
        migrations.AddConstraint(
            model_name='operatingplan',
            constraint=models.CheckConstraint(condition=models.Q(('assembly_members_present__isnull', True), ('assembly_members_total__isnull', True), ('assembly_members_present__lte', models.F('assembly_members_total')), _connector='OR'), name='plan_assembly_present_within_total'),
        ),
    ]

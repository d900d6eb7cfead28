"""Objects for the permission matrix: for each URL name, the URL kwargs of one object in Anta (the
province of the Anta staff and of the demo leader's association) and one in Chumbivilcas.

A resolver takes the side ("anta" or "chumbi") and returns the kwargs, or None when the demo has no such
object (the matrix then says so). URLs without kwargs need no resolver.
"""

from django.apps import apps

from producers.demo import DEMO_LEADER_ASSOCIATION

PROVINCE = {"anta": "0803", "chumbi": "0807"}


def _model(label):
    return apps.get_model(label)


def _municipality(side):
    """The provincial municipality of the side."""
    return _model("municipalities.Municipality").objects.get(
        province__code=PROVINCE[side], district__ubigeo=PROVINCE[side] + "01"
    )


def _first(queryset):
    return queryset.order_by("pk").first()


def _pk(label, **filters):
    def resolve(side):
        lookups = {key: (value(side) if callable(value) else value) for key, value in filters.items()}
        obj = _first(_model(label).objects.filter(**lookups).distinct())
        return {"pk": obj.pk} if obj else None

    return resolve


def _province(side):
    return PROVINCE[side]


EDITABLE_PLAN = ("draft", "returned")


def _producer_association(side):
    queryset = _model("producers.ProducerAssociation").objects
    if side == "anta":
        return queryset.get(organisation__name=DEMO_LEADER_ASSOCIATION)
    return _first(queryset.filter(district__province__code=PROVINCE[side]))


def _producers(label, path, **filters):
    def resolve(side):
        obj = _first(_model(label).objects.filter(**{path: _producer_association(side)}, **filters))
        return {"pk": obj.pk} if obj else None

    return resolve


def _row(child_label, parent_attr, row_kwarg, **filters):
    """URLs like /trainings/<pk>/attendance/<row>/remove/: the row and its parent."""

    def resolve(side):
        lookups = {key: (value(side) if callable(value) else value) for key, value in filters.items()}
        child = _first(_model(child_label).objects.filter(**lookups).distinct())
        if child is None:
            return None
        return {"pk": getattr(child, f"{parent_attr}_id"), row_kwarg: child.pk}

    return resolve


def _leader_agreement(side):
    """An agreement in the side's spaces; in Anta, one that the demo leader's association answers for."""
    filters = {"meeting__space__municipality__province__code": PROVINCE[side]}
    if side == "anta":
        filters["responsible_organisation__name"] = DEMO_LEADER_ASSOCIATION
    obj = _first(_model("spaces.Agreement").objects.filter(**filters))
    return {"pk": obj.pk} if obj else None


def _calendar_token(side):
    token = _model("spaces.CalendarToken")
    from kallpanchis.accounts.models import User

    email = (
        "tecnico.anta@demo.kallpanchis.pe" if side == "anta" else "tecnica.chumbivilcas@demo.kallpanchis.pe"
    )
    user = User.objects.get(email=email)
    row = token.objects.filter(user=user).first()
    if row is None:
        from spaces.services.calendars import calendar_token_regenerate

        row = calendar_token_regenerate(user=user)
    return {"token": row.token}


def _unsubscribe(side):
    from kallpanchis.accounts.models import User
    from kallpanchis.notifications.rendering import unsubscribe_token

    email = (
        "tecnico.anta@demo.kallpanchis.pe" if side == "anta" else "tecnica.chumbivilcas@demo.kallpanchis.pe"
    )
    from kallpanchis.notifications.registry import all_kinds

    kind = sorted(k.name for k in all_kinds())[0]
    return {"token": unsubscribe_token(user_id=User.objects.get(email=email).pk, kind=kind)}


def _reminder(side):
    from kallpanchis.accounts.models import User

    email = (
        "tecnico.anta@demo.kallpanchis.pe" if side == "anta" else "tecnica.chumbivilcas@demo.kallpanchis.pe"
    )
    reminders = _model("notifications.Reminder").objects.filter(recipient=User.objects.get(email=email))
    obj = _first(reminders)
    if obj is None:
        return None
    # Only a failed reminder can be retried: one of the demo's upcoming ones is given up on, as the worker
    # does after its last attempt.
    reminders.filter(pk=obj.pk).update(status="failed", attempts=5, last_error="SMTP: mailbox unavailable")
    return {"pk": obj.pk}


def _sms_reply(side):
    """A reply waiting in the technicians' inbox, from a person of the side's province."""
    person = _first(_model("people.Person").objects.filter(district_ubigeo__startswith=_province(side)))
    if person is None:
        return None
    reply, _ = _model("notifications.SmsInbound").objects.get_or_create(
        gateway="android",
        event_id=f"matrix-{side}",
        defaults={
            "phone": person.phone or "+51900000000",
            "text": "¿A qué hora?",
            "person": person,
            "action": "inbox",
        },
    )
    return {"pk": reply.pk}


def _sms_area(side):
    municipality = _first(
        _model("municipalities.Municipality").objects.filter(province__code=_province(side))
    )
    return {"area": f"organisation:{municipality.organisation_id}"} if municipality else None


def _indicator(side):
    obj = _first(_model("dashboard.Indicator").objects.all())
    return {"code": obj.code} if obj else None


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The demo uploads no files; the download views are tried on one object per side that gets a small PDF.
DOWNLOADS = [
    ("municipalities.PartnershipAgreement", "document", "municipality__province__code"),
    ("budgets.Proposal", "document", "cycle__municipality__province__code"),
    ("budgets.VigilanceReport", "document", "cycle__municipality__province__code"),
    ("budgets.Workshop", "acta", "cycle__municipality__province__code"),
    ("spaces.Meeting", "signed_record", "space__municipality__province__code"),
    ("spaces.AgreementStatusChange", "evidence", "agreement__meeting__space__municipality__province__code"),
]


def attach_documents():
    """One object per side and kind gets a stored PDF (after seed_demo, inside the module transaction)."""
    from django.core.files.base import ContentFile

    for label, field, path in DOWNLOADS:
        for code in PROVINCE.values():
            queryset = _model(label).objects.filter(**{path: code})
            if label == "spaces.Meeting":
                queryset = queryset.filter(status="held")
            obj = _first(queryset)
            if obj is not None and not getattr(obj, field):
                getattr(obj, field).save("matrix.pdf", ContentFile(PDF), save=False)
                _model(label).objects.filter(pk=obj.pk).update(**{field: getattr(obj, field).name})


def _consent_sheet(side):
    """A consent of a person of the side's province, given a scanned sheet (the demo scans none)."""
    from django.core.files.base import ContentFile

    consents = _model("people.Consent").objects.filter(person__district_ubigeo__startswith=PROVINCE[side])
    consent = _first(consents)
    if consent is None:
        return None
    if not consent.scanned_sheet:
        consent.scanned_sheet.save("matrix.pdf", ContentFile(PDF), save=False)
        _model("people.Consent").objects.filter(pk=consent.pk).update(
            scanned_sheet=consent.scanned_sheet.name
        )
    return {"pk": consent.pk}


PERSON = {"district_ubigeo__startswith": _province, "erased_at__isnull": True}
PERSON_PAGES = [
    "person_detail",
    "person_edit",
    "person_consent",
    "person_export_csv",
    "person_export_pdf",
    "person_erase",
    "person_merge",
]


M = _municipality
SPACE = {"municipality__province__code": _province}
MEETING = {"space__municipality__province__code": _province}
CYCLE = {"cycle__municipality__province__code": _province}

OBJECTS = {
    # municipalities
    "municipalities:municipality_detail": lambda side: {"pk": _municipality(side).pk},
    "municipalities:municipality_public": lambda side: {"pk": _municipality(side).pk},
    "municipalities:municipality_edit": lambda side: {"pk": _municipality(side).pk},
    "municipalities:boundaries": lambda side: {"layer": "districts"},
    "municipalities:agreement_detail": _pk("municipalities.PartnershipAgreement", municipality=M),
    "municipalities:agreement_edit": _pk("municipalities.PartnershipAgreement", municipality=M),
    "municipalities:agreement_document": _pk(
        "municipalities.PartnershipAgreement", municipality=M, document__gt=""
    ),
    "municipalities:technician_detail": _pk("municipalities.Technician", municipality=M),
    "municipalities:technician_edit": _pk("municipalities.Technician", municipality=M),
    "municipalities:training_detail": _pk(
        "municipalities.Training", attendance__municipality__province__code=_province
    ),
    "municipalities:training_edit": _pk(
        "municipalities.Training", attendance__municipality__province__code=_province
    ),
    "municipalities:attendance_add": _pk(
        "municipalities.Training", attendance__municipality__province__code=_province
    ),
    "municipalities:attendance_remove": _row(
        "municipalities.TrainingAttendance", "training", "row", municipality__province__code=_province
    ),
    "municipalities:action_remove": _row(
        "municipalities.SupportedAction",
        "association",
        "action",
        association__members__province__code=_province,
    ),
    "municipalities:participation_remove": _row(
        "municipalities.EventParticipation", "event", "row", municipality=M
    ),
    "municipalities:association_detail": _pk(
        "municipalities.MunicipalAssociation", members__province__code=_province
    ),
    "municipalities:association_edit": _pk(
        "municipalities.MunicipalAssociation", members__province__code=_province
    ),
    "municipalities:action_add": _pk(
        "municipalities.MunicipalAssociation", members__province__code=_province
    ),
    "municipalities:event_detail": _pk("municipalities.Event", participations__municipality=M),
    "municipalities:event_edit": _pk("municipalities.Event", participations__municipality=M),
    "municipalities:participation_set": _pk("municipalities.Event", participations__municipality=M),
    # spaces
    "spaces_offline:log": _pk("spaces.Meeting", status="planned", **MEETING),
    "spaces:space_detail": _pk("spaces.ConcertationSpace", **SPACE),
    "spaces:space_edit": _pk("spaces.ConcertationSpace", **SPACE),
    "spaces:space_member_add": _pk("spaces.ConcertationSpace", **SPACE),
    "spaces:space_member_remove": _pk("spaces.SpaceMember", space__municipality__province__code=_province),
    "spaces:meeting_schedule": _pk("spaces.ConcertationSpace", **SPACE),
    "spaces:meeting_detail": _pk("spaces.Meeting", **MEETING),
    "spaces:meeting_agenda": _pk("spaces.Meeting", status="planned", **MEETING),
    "spaces:meeting_postpone": _pk("spaces.Meeting", status="planned", **MEETING),
    "spaces:meeting_cancel": _pk("spaces.Meeting", status="planned", **MEETING),
    "spaces:meeting_log": _pk("spaces.Meeting", status="planned", **MEETING),
    "spaces:meeting_people_check": _pk("spaces.Meeting", status="planned", **MEETING),
    "spaces:attendance_sheet": _pk("spaces.Meeting", **MEETING),
    "spaces:meeting_acta": _pk("spaces.Meeting", status="held", **MEETING),
    "spaces:signed_record": _pk("spaces.Meeting", signed_record__gt="", **MEETING),
    "spaces:attendance_remove": _pk(
        "spaces.Attendance", meeting__space__municipality__province__code=_province
    ),
    # In Anta, an agreement the demo leader's association answers for: its leaders follow it up too.
    "spaces:agreement_detail": _leader_agreement,
    "spaces:agreement_evidence": _pk(
        "spaces.AgreementStatusChange",
        agreement__meeting__space__municipality__province__code=_province,
        evidence__gt="",
    ),
    "spaces:calendar_feed": _calendar_token,
    "spaces:public_space": _pk("spaces.ConcertationSpace", **SPACE),
    "spaces:public_space_calendar": _pk("spaces.ConcertationSpace", **SPACE),
    # producers
    "producers:association_detail": lambda side: {"pk": _producer_association(side).pk},
    "producers:association_update": lambda side: {"pk": _producer_association(side).pk},
    "producers:member_create": lambda side: {"pk": _producer_association(side).pk},
    "producers:plan_start": lambda side: {"pk": _producer_association(side).pk},
    "producers:production_list": lambda side: {"pk": _producer_association(side).pk},
    "producers:production_create": lambda side: {"pk": _producer_association(side).pk},
    "producers:production_import": lambda side: {"pk": _producer_association(side).pk},
    "producers:production_template": lambda side: {"pk": _producer_association(side).pk},
    "producers:member_update": _producers("producers.Member", "association"),
    "producers:member_delete": _producers("producers.Member", "association"),
    "producers:plan_detail": _producers("producers.OperatingPlan", "association"),
    # Draft or returned: the states a plan can be edited and sent in (the demo leader's plan of this year is a
    # draft).
    "producers:plan_edit": _producers("producers.OperatingPlan", "association", status__in=EDITABLE_PLAN),
    "producers:plan_autosave": _producers("producers.OperatingPlan", "association", status__in=EDITABLE_PLAN),
    "producers:plan_submit": _producers("producers.OperatingPlan", "association", status__in=EDITABLE_PLAN),
    "producers:plan_return": _producers("producers.OperatingPlan", "association", status="submitted"),
    "producers:plan_validate": _producers("producers.OperatingPlan", "association", status="submitted"),
    "producers:plan_validate_municipality": _producers(
        "producers.OperatingPlan", "association", status="submitted", municipality_validated_at=None
    ),
    "producers:plan_assembly": _producers(
        "producers.OperatingPlan", "association", status__in=EDITABLE_PLAN, is_current=True
    ),
    "producers:plan_assembly_acta": _producers(
        "producers.OperatingPlan", "association", assembly_minutes_file__gt=""
    ),
    "producers:plan_version_new": _producers("producers.OperatingPlan", "association", status="validated"),
    "producers:report_create": _producers(
        "producers.OperatingPlan", "association", status="validated", is_current=True
    ),
    "producers:report_sync": _producers(
        "producers.OperatingPlan", "association", status="validated", is_current=True
    ),
    "producers:report_detail": _producers("producers.ExecutionReport", "plan__association"),
    "producers:report_photo": _producers("producers.ExecutionPhoto", "report__plan__association"),
    "producers:report_correct": _producers(
        "producers.ExecutionReport", "plan__association", status__in=("submitted", "returned", "corrected")
    ),
    "producers:report_return": _producers(
        "producers.ExecutionReport", "plan__association", status="submitted"
    ),
    "producers:report_validate": _producers(
        "producers.ExecutionReport", "plan__association", status="submitted"
    ),
    "producers:plan_diff": _producers("producers.OperatingPlan", "association"),
    "producers:plan_pdf": _producers("producers.OperatingPlan", "association"),
    "producers:production_update": _producers("producers.ProductionRecord", "association"),
    # budgets
    "budgets:phase_edit": _pk("budgets.Phase", **CYCLE),
    "budgets:step_edit": _pk("budgets.Step", phase__cycle__municipality__province__code=_province),
    "budgets:agent_detail": _pk("budgets.ParticipatingAgent", **CYCLE),
    "budgets:delegate_remove": _pk("budgets.Delegate", agent__cycle__municipality__province__code=_province),
    "budgets:technical_member_remove": _pk("budgets.TechnicalTeamMember", **CYCLE),
    "budgets:vigilance_report_document": _pk("budgets.VigilanceReport", document__gt="", **CYCLE),
    "budgets:workshop_acta": _pk("budgets.Workshop", acta__gt="", **CYCLE),
    "budgets:proposal_detail": _pk("budgets.Proposal", **CYCLE),
    "budgets:proposal_document": _pk("budgets.Proposal", document__gt="", **CYCLE),
    "budgets:proposal_evaluate": _pk("budgets.Proposal", **CYCLE),
    "budgets:proposal_scores": _pk("budgets.Proposal", **CYCLE),
    "budgets:execution_update": _pk("budgets.Proposal", **CYCLE),
    "budgets:milestone_add": _pk("budgets.Proposal", **CYCLE),
    "budgets:milestone_done": _pk(
        "budgets.Milestone", proposal__cycle__municipality__province__code=_province
    ),
    # people
    **{f"people:{name}": _pk("people.Person", **PERSON) for name in PERSON_PAGES},
    "people:consent_sheet": _consent_sheet,
    "people:merge_undo": _pk(
        "people.MergeRecord", kept__district_ubigeo__startswith=_province, undone_at__isnull=True
    ),
    "people:family_detail": _pk("people.Family", district_ubigeo__startswith=_province),
    # notifications, dashboard
    "notifications:reminder_retry": _reminder,
    "notifications:unsubscribe": _unsubscribe,
    "notifications:sms_template_edit": lambda side: {"kind": "meeting_upcoming", "language": "qu"},
    "notifications:sms_inbox_handled": _sms_reply,
    "notifications:sms_area_detail": _sms_area,
    "notifications:sms_twilio_status": lambda side: {"key": "kp1"},
    "dashboard:indicator_detail": _indicator,
    "dashboard:export": lambda side: {"table": "summary", "fmt": "csv"},
}


def _token(side):
    from kallpanchis.accounts.models import User
    from kallpanchis.api.services import token_create

    email = (
        "tecnico.anta@demo.kallpanchis.pe" if side == "anta" else "tecnica.chumbivilcas@demo.kallpanchis.pe"
    )
    token, _secret = token_create(user=User.objects.get(email=email), name=f"matrix {side}")
    return {"pk": token.pk}


PRIVATE_SPACE = {"is_public": False, **SPACE}
OBJECTS.update(
    {
        # the read API: private spaces and what hangs off them (published ones are anyone's)
        "api:province-detail": lambda side: {"code": PROVINCE[side]},
        "api:district-detail": lambda side: {"ubigeo": PROVINCE[side] + "01"},
        "api:municipality-detail": lambda side: {"pk": _municipality(side).pk},
        "api:space-detail": _pk("spaces.ConcertationSpace", **PRIVATE_SPACE),
        "api:meeting-detail": _pk(
            "spaces.Meeting", space__is_public=False, space__municipality__province__code=_province
        ),
        "api:agreement-detail": _pk(
            "spaces.Agreement",
            meeting__space__is_public=False,
            meeting__space__municipality__province__code=_province,
        ),
        "api:budget-cycle-detail": _pk("budgets.BudgetCycle", municipality__province__code=_province),
        "api:agent-detail": _pk("budgets.ParticipatingAgent", status="accredited", **CYCLE),
        "api:proposal-detail": _pk("budgets.Proposal", rank__isnull=True, **CYCLE),
        "api:allocation-detail": _pk("budgets.Proposal", allocated__isnull=False, **CYCLE),
        "api:score-detail": _pk("budgets.Score", proposal__cycle__municipality__province__code=_province),
        "api:execution-update-detail": _pk(
            "budgets.ExecutionUpdate", proposal__cycle__municipality__province__code=_province
        ),
        "api:association-detail": lambda side: {"pk": _producer_association(side).pk},
        "api:plan-detail": _producers("producers.OperatingPlan", "association"),
        "api:indicator-detail": _indicator,
        "api:token_edit": _token,
        "api:token_revoke": _token,
        "open_data:dataset": lambda side: {"slug": "meetings", "fmt": "csv"},
    }
)

# Every other URL whose only kwarg is `pk` and whose name is a budget cycle page takes a cycle.
CYCLE_PAGES = {
    "cycle_detail",
    "cycle_edit",
    "cycle_timeline",
    "agent_list",
    "agent_join",
    "technical_member_add",
    "vigilance_elect",
    "vigilance_reports",
    "workshop_list",
    "proposal_list",
    "proposal_create",
    "matrix_edit",
    "ranking",
    "allocation_run",
    "acta_pdf",
    "execution",
    "history",
    "public_detail",
}
for _name in CYCLE_PAGES:
    OBJECTS.setdefault(f"budgets:{_name}", _pk("budgets.BudgetCycle", municipality__province__code=_province))
# --- the register and its links: the side's first person, made a member of the demo leader's association in
# Anta (a leader sees their association's members, nobody else); the rows to match and workshop lists, made
# here when the demo has none (inside the test's transaction).


def _member_person(side):
    person = _first(
        _model("people.Person").objects.filter(
            **{k: v(side) if callable(v) else v for k, v in PERSON.items()}
        )
    )
    if person is not None and side == "anta":
        members = _model("producers.Member").objects.filter(association=_producer_association("anta"))
        if not members.filter(person=person).exists():
            member = _first(members.filter(person__isnull=True))
            if member is not None:
                members.filter(pk=member.pk).update(person=person)
            else:
                members.create(
                    association=_producer_association("anta"),
                    person=person,
                    name=person.display_name,
                    gender=person.gender,
                )
    return person


def _person_page(side):
    person = _member_person(side)
    return {"pk": person.pk} if person else None


def _member_consent_sheet(side):
    from django.core.files.base import ContentFile

    person = _member_person(side)
    consent = person and _first(_model("people.Consent").objects.filter(person=person))
    if not consent:
        return None
    if not consent.scanned_sheet:
        consent.scanned_sheet.save("matrix.pdf", ContentFile(PDF), save=False)
        _model("people.Consent").objects.filter(pk=consent.pk).update(
            scanned_sheet=consent.scanned_sheet.name
        )
    return {"pk": consent.pk}


def _member_family(side):
    person = _member_person(side)
    return {"pk": person.family_id} if person and person.family_id else None


def _member_merge(side):
    person = _member_person(side)
    record = person and _first(
        _model("people.MergeRecord").objects.filter(kept=person, undone_at__isnull=True)
    )
    return {"pk": record.pk} if record else None


def _import_match(side):
    person = _member_person(side)
    if person is None:
        return None
    matches = _model("people.ImportMatch").objects
    match = _first(matches.filter(candidates=person, status="pending"))
    if match is None:
        match = matches.create(
            source="spaces.Attendance", row_id=-person.pk, name=person.display_name, gender=person.gender
        )
        match.candidates.add(person)
    return {"pk": match.pk}


def _workshop_participant(side):
    participants = _model("budgets.WorkshopParticipant").objects
    found = _first(participants.filter(workshop__cycle__municipality__province__code=PROVINCE[side]))
    if found is None:
        workshop = _first(
            _model("budgets.Workshop").objects.filter(cycle__municipality__province__code=PROVINCE[side])
        )
        if workshop is None:
            return None
        found = participants.create(workshop=workshop, name="Participante de prueba", gender="female")
    return {"pk": found.pk}


for _name in PERSON_PAGES:
    OBJECTS[f"people:{_name}"] = _person_page
OBJECTS["people:consent_sheet"] = _member_consent_sheet
OBJECTS["people:family_detail"] = _member_family
OBJECTS["people:merge_undo"] = _member_merge
OBJECTS["people:match_decide"] = _import_match
OBJECTS["budgets:workshop_participants"] = _pk("budgets.Workshop", **CYCLE)
OBJECTS["budgets:workshop_participant_remove"] = _workshop_participant


def list_export(side):
    """A list's export takes only its format: the list is each reader's own, so it is fetched once."""
    return {"fmt": "xlsx"} if side == "anta" else None


for _name in [
    "municipality_export",
    "agreement_export",
    "technician_export",
    "training_export",
    "association_export",
    "event_export",
]:
    OBJECTS[f"municipalities:{_name}"] = list_export
for _name in [
    "spaces:space_export",
    "spaces:meeting_export",
    "spaces:agreement_export",
    "producers:association_export",
    "producers:plan_export",
    "budgets:cycle_export",
]:
    OBJECTS[_name] = list_export


def _as_xlsx(resolve):
    """An object's list export: the list's object and the format."""

    def with_format(side):
        kwargs = resolve(side)
        return {**kwargs, "fmt": "xlsx"} if kwargs else None

    return with_format


OBJECTS["producers:member_export"] = _as_xlsx(lambda side: {"pk": _producer_association(side).pk})
OBJECTS["producers:production_export"] = _as_xlsx(lambda side: {"pk": _producer_association(side).pk})
for _name in ["budgets:proposal_export", "budgets:allocation_export"]:
    OBJECTS[_name] = _as_xlsx(_pk("budgets.BudgetCycle", municipality__province__code=_province))


def _meeting_history(side):
    """The history page of the side's first meeting (the meeting page's scope)."""
    meeting = _pk("spaces.Meeting", **MEETING)(side)
    return {"app_label": "spaces", "model_name": "meeting", **meeting} if meeting else None


OBJECTS["history:object"] = _meeting_history


# results (the framework and reported values): the side's provincial municipality and its first assignment


def _results_assignment(side):
    return _first(_model("results.Assignment").objects.filter(municipality=_municipality(side)))


def _results_open_period(side):
    """An assignment of the side with a period it has not reported yet: the form opens (an approved
    period sends to its value instead)."""
    assignment = _results_assignment(side)
    if assignment is None:
        return None
    reported = _model("results.Report").objects.filter(
        indicator=assignment.indicator_id, municipality=assignment.municipality_id
    )
    period = _first(
        _model("results.Period")
        .objects.filter(frequency=assignment.indicator.frequency)
        .exclude(pk__in=reported.values("period"))
    )
    if period is None:
        return None
    return {
        "indicator": assignment.indicator_id,
        "municipality": assignment.municipality_id,
        "period": period.pk,
    }


def _results_cell(side):
    assignment = _results_assignment(side)
    if assignment is None:
        return None
    return {"indicator": assignment.indicator_id, "municipality": assignment.municipality_id}


def _results_latest_approved(side):
    reports = _model("results.Report").objects.filter(municipality=_municipality(side), state="approved")
    report = _first(reports.filter(superseded_by__isnull=True))
    return {"pk": report.pk} if report else None


def _results_evidence(side):
    """A value not approved yet (an approved one is locked) given a small PDF as its evidence."""
    from django.core.files.base import ContentFile

    report = _first(
        _model("results.Report").objects.filter(municipality=_municipality(side)).exclude(state="approved")
    )
    if report is None:
        return None
    if not report.evidence:
        report.evidence.save("matrix.pdf", ContentFile(PDF), save=False)
        _model("results.Report").objects.filter(pk=report.pk).update(evidence=report.evidence.name)
    return {"pk": report.pk}


OBJECTS["results:indicator_detail"] = _pk("results.Indicator")
OBJECTS["results:indicator_edit"] = _pk("results.Indicator")
OBJECTS["results:report_form"] = _results_open_period
OBJECTS["results:report_detail"] = _pk("results.Report", municipality__province__code=_province)
OBJECTS["results:report_approve"] = _pk("results.Report", municipality__province__code=_province)
OBJECTS["results:report_return"] = _pk("results.Report", municipality__province__code=_province)
OBJECTS["results:report_correct"] = _results_latest_approved
OBJECTS["results:report_evidence"] = _results_evidence
OBJECTS["results:cell_detail"] = _results_cell
OBJECTS["dashboard:reported_detail"] = lambda side: (
    {"code": obj.code} if (obj := _first(_model("results.Indicator").objects.filter(active=True))) else None
)


def _api_reported_value(side):
    """The value that counts (latest approved) of one of the side's municipality's periods."""
    from kallpanchis.api.publication import reported_values_current

    report = _first(reported_values_current().filter(municipality=_municipality(side)))
    return {"pk": report.pk} if report else None


OBJECTS["api:reported-value-detail"] = _api_reported_value


# budgets: what the law asks to record (docs/budgets.md): the cycle's pages, an agent, a challenge, a project
for _name in ["cycle_governance", "agent_by_right_add", "acta_sign", "accountability"]:
    OBJECTS[f"budgets:{_name}"] = _pk("budgets.BudgetCycle", municipality__province__code=_province)
OBJECTS["budgets:mef_export"] = _as_xlsx(_pk("budgets.BudgetCycle", municipality__province__code=_province))


def _final_list(side):
    cycle = _pk("budgets.BudgetCycle", municipality__province__code=_province)(side)
    return {**cycle, "which": "final"} if cycle else None


OBJECTS["budgets:list_publish"] = _final_list
OBJECTS["budgets:challenge_add"] = _pk("budgets.ParticipatingAgent", **CYCLE)
OBJECTS["budgets:challenge_decide"] = _pk(
    "budgets.Challenge", agent__cycle__municipality__province__code=_province
)
OBJECTS["budgets:proposal_replace"] = _pk("budgets.Proposal", **CYCLE)
OBJECTS["budgets:proposal_identity"] = _pk("budgets.Proposal", **CYCLE)

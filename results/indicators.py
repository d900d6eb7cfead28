"""This app's side of the coordinators' dashboard (kallpanchis.core.indicators): the reported indicators,
shown beside the computed ones with where each comes from, and the drill-down of each."""

from kallpanchis.core.indicators import hook

from .selectors import reported_detail, reported_figures

hook("reported")(reported_figures)
hook("reported_detail")(reported_detail)

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from .selectors import history_for_object, object_for_history


class ObjectHistoryView(LoginRequiredMixin, TemplateView):
    """The history of one object (and of its rows: attendance, agenda, agreements …), for whoever may read
    its page; a 404 for anyone else. Read only: nothing here writes."""

    template_name = "history/object_history.html"

    def get_context_data(self, **kwargs):
        obj = object_for_history(
            user=self.request.user,
            app_label=kwargs["app_label"],
            model_name=kwargs["model_name"],
            pk=kwargs["pk"],
        )
        return super().get_context_data(
            object=obj,
            object_url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
            **history_for_object(obj=obj),
        )

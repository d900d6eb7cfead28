from rest_framework.permissions import BasePermission


class ReadsPublishedOrSignedIn(BasePermission):
    """A view that publishes something (`public = True`) answers anyone; the others need a token or a
    session (401 otherwise). What each person reads inside is the selectors' business."""

    def has_permission(self, request, view) -> bool:
        return bool(getattr(view, "public", False) or (request.user and request.user.is_authenticated))

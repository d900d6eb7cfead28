class SpanishFirstMiddleware:
    """Spanish is the platform's language unless the person picks another with the switcher (a cookie).
    The browser's Accept-Language is ignored on purpose: phones in the field are often shared and come set
    to English from the factory, and the people using them read Spanish first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

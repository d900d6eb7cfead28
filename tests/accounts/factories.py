import factory
from allauth.account.models import EmailAddress

from kallpanchis.accounts.models import User
from kallpanchis.accounts.services import role_grant

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.pe")
    first_name = factory.Faker("first_name", locale="es")
    last_name = factory.Faker("last_name", locale="es")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


def person_with_role(role: str, organisation=None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    role_grant(by=None, user=user, role=role, organisation=organisation)
    return user

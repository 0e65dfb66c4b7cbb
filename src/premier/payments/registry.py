"""The payment providers this hotel has enabled, by name and by the methods they carry.

Built once per process from settings (premier.payments.providers.build); the payment
service sees providers only through this registry and their Protocol."""

from premier.kit.errors import InvalidInput, NotFound
from premier.payments.providers.base import PaymentProvider


class Providers:
    def __init__(self, providers: list[PaymentProvider]) -> None:
        self.by_name = {provider.name: provider for provider in providers}
        self.by_method = {
            method: provider for provider in providers for method in sorted(provider.methods)
        }

    def for_method(self, method: str) -> PaymentProvider:
        provider = self.by_method.get(method)
        if provider is None:
            raise InvalidInput(
                f"{method} is not offered here",
                details={"offered": sorted(self.by_method)},
            )
        return provider

    def named(self, name: str) -> PaymentProvider:
        provider = self.by_name.get(name)
        if provider is None:
            raise NotFound(f"no payment provider {name!r} here")
        return provider

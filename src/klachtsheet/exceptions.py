"""Errors of klachtsheet; every message is Dutch because users read it."""


class KlachtsheetError(Exception):
    """Base of every error klachtsheet raises on purpose."""


class ConfigError(KlachtsheetError):
    """The configuration file or an environment variable is wrong."""


class RegisterError(KlachtsheetError):
    """The register cannot be read or written."""


class RegisterBusy(RegisterError):
    """The register is in use (locked by another process or opened by a person)."""


class SyncBusy(RegisterBusy):
    """Another sync is running."""


class RegisterOpen(RegisterBusy):
    """A person has the local workbook open in LibreOffice or Excel."""


class LayoutError(RegisterError):
    """The register's tabs or headers do not match the schema."""


class FormDefinitionError(KlachtsheetError):
    """A form definition in YAML is broken."""


class PhoneListError(KlachtsheetError):
    """The phone-list file cannot be read at all."""


class TemplateError(KlachtsheetError):
    """A user-editable template cannot be rendered."""


class DeliveryError(KlachtsheetError):
    """A letter or e-mail could not be delivered."""


class RowDeliveryError(DeliveryError):
    """One row's message cannot be made or sent (bad address, bad name); others still go."""

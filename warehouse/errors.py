"""The warehouse's errors; each message names the warehouse and says what to do."""


class WarehouseError(RuntimeError):
    """Raised when the warehouse cannot be opened or is not initialised; the message says what to do."""


class WarehouseBusy(WarehouseError):
    """Raised when another run holds the writer lock longer than we agreed to wait."""


class WarehouseConflict(WarehouseError):
    """Raised when a DuckLake commit still conflicts with other writers after every retry."""

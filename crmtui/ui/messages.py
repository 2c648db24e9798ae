"""Messages the UI's workers and widgets send: results travel as messages, never as mutation."""

from __future__ import annotations

from textual.message import Message

from crmtui.model import Page, Record


class PageLoaded(Message):
    """A page of records arrived for load `generation`."""

    bubble = False

    def __init__(self, generation: int, page_index: int, page: Page) -> None:
        super().__init__()
        self.generation = generation
        self.page_index = page_index
        self.page = page


class PageFailed(Message):
    """A page could not be fetched."""

    bubble = False

    def __init__(self, generation: int, page_index: int, error: BaseException) -> None:
        super().__init__()
        self.generation = generation
        self.page_index = page_index
        self.error = error


class RecordHighlighted(Message):
    """The record under the cursor changed (None: a placeholder or an empty list).

    `moved` is False when rows arrived or changed under a cursor that stayed where it was.
    """

    def __init__(self, record: Record | None, *, moved: bool = True) -> None:
        super().__init__()
        self.record = record
        self.moved = moved

    def can_replace(self, message: Message) -> bool:
        """Only the latest highlight matters when the cursor runs ahead of the screen (it
        keeps saying the cursor moved when the one it replaces did)."""
        if not isinstance(message, RecordHighlighted):
            return False
        self.moved = self.moved or message.moved
        return True


class ListStatus(Message):
    """What the record list holds ("1,200 of 48,213") and whether pages are on their way."""

    def __init__(self, label: str, loading: int) -> None:
        super().__init__()
        self.label = label
        self.loading = loading

    def can_replace(self, message: Message) -> bool:
        """Only the latest status matters."""
        return isinstance(message, ListStatus)


class ListError(Message):
    """Loading the list failed; the screen shows it in the status bar."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


class EntityChosen(Message):
    """The user picked an entity in the entity list."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class SearchSubmitted(Message):
    """The user submitted text in the search bar (empty text clears the search)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

"""The classes whose bindings a profile's `[keymap]` may remap: every screen and widget with keys.

Importing them loads every screen, so this is asked only when a keymap is to be applied (and by
`?`, which lists every binding id).
"""

from __future__ import annotations

from typing import Any


def binding_classes(app: type[Any]) -> list[type[Any]]:
    """`app` and every class whose bindings a `[keymap]` table may remap."""
    from crmtui.ui.screens.actions import ActionsScreen
    from crmtui.ui.screens.ask_text import AskText
    from crmtui.ui.screens.bulk_edit import BulkEditScreen
    from crmtui.ui.screens.capture import CaptureScreen
    from crmtui.ui.screens.columns import ColumnsScreen
    from crmtui.ui.screens.conflict import ConflictScreen
    from crmtui.ui.screens.dialogs import ConfirmScreen, DeleteScreen
    from crmtui.ui.screens.edit import EditScreen
    from crmtui.ui.screens.find_everywhere import FindEverywhereScreen
    from crmtui.ui.screens.form_keys import FormKeys
    from crmtui.ui.screens.help import HelpScreen
    from crmtui.ui.screens.jobs import JobsScreen
    from crmtui.ui.screens.jump import JumpScreen
    from crmtui.ui.screens.main import MainScreen
    from crmtui.ui.screens.outbox import OutboxScreen
    from crmtui.ui.screens.pick import PickScreen
    from crmtui.ui.screens.problem import ProblemScreen
    from crmtui.ui.screens.sent import SentScreen
    from crmtui.ui.screens.triage import TriageScreen
    from crmtui.ui.screens.upsert import UpsertScreen
    from crmtui.ui.screens.watch import WatchScreen
    from crmtui.ui.widgets.console import ConsolePane
    from crmtui.ui.widgets.console_body import BodyView
    from crmtui.ui.widgets.detail import DetailFields, DetailPane
    from crmtui.ui.widgets.form_fields import FormField
    from crmtui.ui.widgets.record_list import RecordList
    from crmtui.ui.widgets.search_bar import SearchBar

    return [
        ConsolePane,
        BodyView,
        app,
        MainScreen,
        RecordList,
        SearchBar,
        DetailPane,
        DetailFields,
        EditScreen,
        FormField,
        FormKeys,
        ConfirmScreen,
        DeleteScreen,
        JumpScreen,
        ColumnsScreen,
        ProblemScreen,
        TriageScreen,
        ActionsScreen,
        AskText,
        BulkEditScreen,
        CaptureScreen,
        ConflictScreen,
        FindEverywhereScreen,
        HelpScreen,
        JobsScreen,
        OutboxScreen,
        PickScreen,
        SentScreen,
        UpsertScreen,
        WatchScreen,
    ]

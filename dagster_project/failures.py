"""How a step reports a problem the controller fixes, and the console logger that shows it
without a stack trace.

A rejected file, a refused publish or a failing dbt test is not a program error: its message
says what to fix, and the framework's stack trace printed after it would bury that message.
The project raises these as `UserError` (a `dagster.Failure`, so Dagster treats them as any
deliberate failure). The console (the refresh command's stderr, a controller's terminal) shows
no stack trace for any failure, a bug included: the one line says what failed, and Dagster's
event log keeps the full error, stack and causes for the developer.
"""

from __future__ import annotations

import logging
import re

import dagster as dg


def one_line(text: object) -> str:
    """Text as one line: line breaks and runs of spaces become single spaces."""
    return " ".join(str(text).split())


class UserError(dg.Failure):
    """A deliberate step failure whose description tells the controller what to fix.

    The description is kept to one line: a failed run's first failure (the run page's error,
    the run failure event, the console) says the reason in it. What does not fit (the failing
    tests, each rejected file's message) goes in `details`, shown as the failure's metadata.
    """

    def __init__(self, description: str, details: list[str] | None = None, metadata: dict | None = None) -> None:
        metadata = dict(metadata or {})
        if details:
            metadata["details"] = dg.MetadataValue.md("\n".join(f"- {one_line(d)}" for d in details))
        super().__init__(description=one_line(description), metadata=metadata)


# Dagster logs a failed step as "<exception class with module>: <description>\n\nStack Trace:\n...".
_STACK_TRACE = "\nStack Trace:\n"
# Dagster names a step that was not run with every input it lacked: the publish step has one
# per dbt model, all produced by the one dbt step ("['hr_kpi_dbt_assets', 'hr_kpi_dbt_assets', ...]").
_STEP_LIST = re.compile(r"\[('[^']*'(?:, '[^']*')*)\]")


def _distinct_steps(match: re.Match) -> str:
    names = list(dict.fromkeys(match.group(1).split(", ")))
    return "[" + ", ".join(names) + "]"


class _NoStackOnTheConsole(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _STACK_TRACE in message:
            message = message.split(_STACK_TRACE)[0].rstrip()
            record.exc_info = None
        if message.startswith("Dependencies for step") or " - Dependencies for step " in message:
            message = _STEP_LIST.sub(_distinct_steps, message)
        record.msg, record.args = message, ()
        return True


@dg.logger(
    {"log_level": dg.Field(str, is_required=False, default_value="INFO")},
    description="The console (stderr) logger, without stack traces (the event log keeps them).",
)
def console_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    log = logging.Logger("dagster", level=init_context.logger_config["log_level"])
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s",
                                           "%Y-%m-%d %H:%M:%S %z"))
    handler.addFilter(_NoStackOnTheConsole())
    log.addHandler(handler)
    return log

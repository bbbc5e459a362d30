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

import dagster as dg


class UserError(dg.Failure):
    """A deliberate step failure whose description tells the controller what to fix."""


# Dagster logs a failed step as "<exception class with module>: <description>\n\nStack Trace:\n...".
_STACK_TRACE = "\nStack Trace:\n"


class _NoStackOnTheConsole(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _STACK_TRACE in message:
            record.msg, record.args = message.split(_STACK_TRACE)[0].rstrip(), ()
            record.exc_info = None
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

"""Pelican's writer, leaving a page alone when its new text is the same."""

from __future__ import annotations

import io
import logging
import os

from pelican.writers import FileOverwriteFailedError, Writer

from .reuse import write_if_changed

logger = logging.getLogger(__name__)


class TextIfChanged(io.StringIO):
    """A text file opened for writing that reaches the disk only if it changed."""

    def __init__(self, path: str, encoding: str, keep):
        super().__init__()
        self._path, self._encoding, self._keep = path, encoding, keep

    def close(self):
        if not self.closed:
            write_if_changed(self._path, self.getvalue().encode(self._encoding), self._keep)
        super().close()


class KeepUnchangedWriter(Writer):
    def _open_w(self, filename, encoding, override=False):
        # Pelican's own bookkeeping (writers.Writer._open_w): a file is written
        # once, unless one write says it overrides.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already written to it previously '
                "(set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        from .runner import current_build

        log = current_build()
        return TextIfChanged(filename, encoding, log.keep if log else None)

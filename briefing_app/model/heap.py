"""Hand freed heap memory back to the system after a large piece of idle work.

glibc's malloc keeps what Python frees in the middle of its heap for later use; after
encoding 100k events in small steps (Document.prepare_save) ~10 MB of it sits there, unused
but resident, for as long as the app runs. malloc_trim returns the free pages in O(heap).
Elsewhere (another C library, another system) this does nothing.
"""

from __future__ import annotations


def release_free_memory() -> bool:
    """True when the C library was asked to return free memory (glibc only)."""
    import ctypes  # here, not at the top: ~4 ms that start-up need not pay

    try:
        trim = ctypes.CDLL(None).malloc_trim  # the symbols the process already has
    except (OSError, AttributeError):
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
    return True

//! Index keys (filled below).

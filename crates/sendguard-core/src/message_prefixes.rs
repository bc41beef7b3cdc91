//! Which catalogue keys the core renders; everything else in `messages.json` belongs to
//! the front ends. One list for the build script (which copies these keys into the
//! binary) and the catalogue test (which checks that each such key is used).

/// Key prefixes of the messages the core renders.
pub(crate) const CORE_MESSAGE_PREFIXES: &[&str] = &[
    "rule.",
    "fix.",
    "reason.",
    "verdict.",
    "format.",
    "personal-data.",
    "policy.",
    "delayed.",
];

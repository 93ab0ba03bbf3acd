//! The built-in sandbox tenant (work in progress).

//! Account back ends.

pub mod directory;
pub mod graph;
pub mod sandbox;

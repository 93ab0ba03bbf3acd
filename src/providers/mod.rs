//! Account back ends.

pub mod graph;
pub mod sandbox;

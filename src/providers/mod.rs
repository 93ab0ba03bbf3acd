//! Account back ends.

pub mod directory;
pub mod graph;
pub mod kerberos;
pub mod sandbox;

//! Output formats of `netward check` beyond plain JSON.

pub mod human;
pub mod sarif;

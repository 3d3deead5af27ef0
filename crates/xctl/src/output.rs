//! Output formats shared by commands: a human table by default, one JSON object for scripts.

use clap::ValueEnum;

/// How a command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Aligned text for people.
    #[default]
    Human,
    /// One JSON object on one line.
    Json,
}

//! Reading the options file every subcommand shares.

use std::path::Path;

use netward_core::options::Options;

/// The options in `path` (YAML or JSON), or the defaults when no file is given.
pub fn load(path: Option<&Path>) -> Result<Options, String> {
    let Some(path) = path else {
        return Ok(Options::default());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Options::parse(&path.display().to_string(), &text)
}

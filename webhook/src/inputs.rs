//! Turning command-line paths into manifest files: files as given, directories walked for
//! `.yaml`, `.yml` and `.json`, `-` for standard input.

use std::io::Read;
use std::path::{Path, PathBuf};

/// One input to load.
#[derive(Debug)]
pub struct Input {
    /// The name shown in diagnostics.
    pub name: String,
    /// The raw bytes.
    pub bytes: Vec<u8>,
}

/// Reads every input named by `paths`. Directories are walked recursively in name order,
/// skipping hidden entries and not following symbolic links to directories.
pub fn read_inputs(paths: &[PathBuf], max_bytes: usize) -> Result<Vec<Input>, String> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(max_bytes as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            inputs.push(Input {
                name: "<stdin>".to_owned(),
                bytes,
            });
            continue;
        }
        let metadata =
            std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if metadata.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)
                .map_err(|e| format!("cannot read directory {}: {e}", path.display()))?;
            for file in files {
                inputs.push(read_file(&file, max_bytes)?);
            }
        } else {
            inputs.push(read_file(path, max_bytes)?);
        }
    }
    Ok(inputs)
}

fn read_file(path: &Path, max_bytes: usize) -> Result<Input, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    // Read one byte past the limit so the engine can report the file as too large.
    file.take(max_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Input {
        name: path.display().to_string(),
        bytes,
    })
}

fn is_manifest(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            walk(&path, files)?;
        } else if is_manifest(&path) && (file_type.is_file() || path.is_file()) {
            files.push(path);
        }
    }
    Ok(())
}

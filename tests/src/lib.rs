//! Cross-surface tests: the same input must give the same verdict on every surface. The
//! helpers here locate the repository's shared inputs.

use std::path::PathBuf;
use std::process::Command;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every manifest file under `examples/`, sorted.
pub fn example_files() -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&repo_root().join("examples"), &mut files);
    files
}

/// Builds the `netward` binary (debug profile, next to this test's own build) and returns its
/// path. Cross-surface tests run the real binary, not a library call.
pub fn netward_binary() -> Result<PathBuf, String> {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "-p", "netward"])
        .current_dir(repo_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build -p netward failed: {status}"));
    }
    // target/<profile>/deps/<test> -> target/<profile>/netward
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .ok_or("unexpected test binary location")?;
    Ok(profile_dir.join(format!("netward{}", std::env::consts::EXE_SUFFIX)))
}

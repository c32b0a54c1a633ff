//! The real-world corpus (`tests/corpus/`, public manifests from other projects, see its
//! README): the whole rule catalogue runs over it through the real binary without crashing,
//! every finding points into a corpus file, the CLI reports exactly what the library reports,
//! and `netward reach` answers for the whole corpus and for each source repository.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use netward_core::options::Options;
use netward_core::report::{PositionStyle, Report};
use netward_core::{LoadLimits, Workspace};
use netward_tests::{netward_binary, repo_root};

/// The corpus, relative to the repository root, as it is passed to the CLI.
const CORPUS: &str = "tests/corpus";

/// Every manifest file under `dir`, walked the way the CLI walks a directory: entries in
/// file-name order, hidden entries skipped, `.yaml`, `.yml` and `.json` files only.
fn manifests(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            manifests(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
        {
            out.push(path);
        }
    }
}

/// The corpus files as the CLI names them (`tests/corpus/<owner>__<repo>/<file>`).
fn corpus_files() -> Vec<String> {
    let mut files = Vec::new();
    manifests(&repo_root().join(CORPUS), &mut files);
    files
        .iter()
        .map(|f| {
            let relative = f.strip_prefix(repo_root()).unwrap();
            // Name the file with `/` whatever the platform, as `tests/corpus` + the walk does.
            let mut name = String::from(CORPUS);
            for part in relative.strip_prefix(CORPUS).unwrap().components() {
                name.push('/');
                name.push_str(&part.as_os_str().to_string_lossy());
            }
            name
        })
        .collect()
}

fn run(args: &[&str]) -> Output {
    Command::new(netward_binary().unwrap())
        .args(args)
        .current_dir(repo_root())
        .output()
        .unwrap()
}

/// Line count of a file as an editor shows it: the text after the last newline is a line.
fn lines_of(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if text.ends_with('\n') {
        lines.pop();
    }
    lines
}

#[test]
fn the_corpus_is_real_and_sizeable() {
    let files = corpus_files();
    assert!(
        (25..=60).contains(&files.len()),
        "the corpus should hold 25-60 manifest files, found {}",
        files.len()
    );
    let sources: Vec<_> = std::fs::read_dir(repo_root().join(CORPUS))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().unwrap().to_string_lossy().contains("__"))
        .collect();
    assert!(
        sources.len() >= 5,
        "expected at least five source repositories"
    );
    for source in &sources {
        assert!(
            source.join("SOURCE.md").is_file(),
            "{} has no SOURCE.md (repository, path, commit and licence of each file)",
            source.display()
        );
    }
}

#[test]
fn check_runs_the_catalogue_over_the_corpus_and_matches_the_library() {
    let started = std::time::Instant::now();
    let output = run(&["check", "--format", "json", CORPUS]);
    let code = output.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "netward check must exit 0 or 1 on the corpus (2 is a usage/IO failure, no code a crash), got {code:?}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let actual: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "netward check --format json printed invalid JSON: {e}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });

    let names = corpus_files();
    assert_eq!(
        actual["summary"]["files"].as_u64(),
        Some(names.len() as u64),
        "the CLI should load every corpus file"
    );

    // Every finding points at a corpus file, inside it.
    let diagnostics = actual["diagnostics"].as_array().unwrap();
    for d in diagnostics {
        let file = d["file"]
            .as_str()
            .unwrap_or_else(|| panic!("diagnostic without a file: {d}"));
        assert!(
            names.iter().any(|n| n == file),
            "diagnostic names a file that is not in the corpus: {d}"
        );
        let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
        let lines = lines_of(&text);
        let start = &d["range"]["start"];
        let end = &d["range"]["end"];
        let (sl, sc) = (
            start["line"].as_u64().unwrap(),
            start["column"].as_u64().unwrap(),
        );
        let (el, ec) = (
            end["line"].as_u64().unwrap(),
            end["column"].as_u64().unwrap(),
        );
        let count = lines.len() as u64;
        assert!(
            sl >= 1 && sl <= count.max(1) && sc >= 1,
            "range start outside {file} ({count} lines): {d}"
        );
        assert!((sl, sc) <= (el, ec), "range ends before it starts: {d}");
        // The end may sit just past the last line's newline (line count + 1, column 1).
        assert!(
            el <= count || (el == count + 1 && ec == 1),
            "range end outside {file} ({count} lines): {d}"
        );
        let width = |line: u64| {
            lines
                .get(line as usize - 1)
                .map_or(0, |l| l.chars().count() as u64)
        };
        assert!(sc <= width(sl) + 1, "start column past the line's end: {d}");
        if el <= count {
            assert!(ec <= width(el) + 1, "end column past the line's end: {d}");
        }
    }

    // The library, over the same files named the same way, gives the same report.
    let mut workspace = Workspace::new(LoadLimits::default());
    for name in &names {
        workspace.add_file(
            name.clone(),
            &std::fs::read(repo_root().join(name)).unwrap(),
        );
    }
    let found = netward_core::lint::check(&workspace, &Options::default());
    let expected =
        serde_json::to_value(Report::new(&workspace, &found, PositionStyle::CLI)).unwrap();
    assert_eq!(actual, expected, "CLI and library disagree on the corpus");
    let errors = expected["summary"]["errors"].as_u64().unwrap();
    assert_eq!(code, Some(if errors > 0 { 1 } else { 0 }));

    assert!(
        started.elapsed().as_secs() < 60,
        "checking the corpus took {:?}",
        started.elapsed()
    );
}

#[test]
fn reach_answers_for_the_corpus() {
    let output = run(&["reach", CORPUS, "--unselected", "--format", "json"]);
    assert!(
        output.status.success(),
        "netward reach --unselected failed: {:?}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    let _: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();

    let mut sources: Vec<_> = std::fs::read_dir(repo_root().join(CORPUS))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().unwrap().to_string_lossy().contains("__"))
        .collect();
    sources.sort();
    assert!(!sources.is_empty());
    for source in sources {
        let dir = format!("{CORPUS}/{}", source.file_name().unwrap().to_string_lossy());
        let output = run(&[
            "reach", &dir, "--matrix", "--port", "80", "--format", "json",
        ]);
        assert!(
            output.status.success(),
            "netward reach {dir} --matrix --port 80 failed: {:?}\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
        let _: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("netward reach {dir} printed invalid JSON: {e}"));
    }
}

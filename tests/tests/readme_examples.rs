//! The README's options example is a valid options file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use netward_core::options::{Options, Profile, SeverityLevel};
use netward_tests::repo_root;

#[test]
fn readme_options_example_parses() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let after = readme
        .split("An options file:")
        .nth(1)
        .expect("the options example");
    let block = after
        .split("```yaml\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let options = Options::parse("README.md", block).unwrap();
    assert_eq!(options.profile, Profile::Workspace);
    assert_eq!(
        options.severity.get("rule-allows-any-peer"),
        Some(&SeverityLevel::Error)
    );
    assert_eq!(options.exemptions.len(), 2);
    assert_eq!(
        options.exemptions[1].selector.as_deref(),
        Some("team=edge,tier!=db")
    );
    assert_eq!(
        options.rule_settings.ingress_classes,
        ["internal", "public"]
    );
    assert_eq!(options.cluster.dns.namespace, "kube-system");
}

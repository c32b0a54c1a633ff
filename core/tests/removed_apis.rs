//! Kinds in API versions Kubernetes removed are one located error, not a cascade of
//! schema errors from the wrong schema.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use netward_core::{LoadLimits, ValidationProfile, Workspace};

#[test]
fn a_removed_ingress_version_is_one_error_on_api_version() {
    let text = "apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  backend:\n    serviceName: web\n    servicePort: 80\n";
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file("old.yaml", text.as_bytes());
    let diagnostics = workspace.check(&ValidationProfile::default());
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d.rule.code, "NW0013");
    assert_eq!(
        &text[d.span.start as usize..d.span.end as usize],
        "networking.k8s.io/v1beta1"
    );
    assert!(
        d.message.contains("removed in Kubernetes 1.22")
            && d.message.contains("networking.k8s.io/v1")
    );
}

#[test]
fn current_versions_are_validated_and_unknown_versions_ignored() {
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file(
        "x.yaml",
        b"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: Bad_Name}\nspec: {}\n---\napiVersion: example.com/v1\nkind: Service\nmetadata: {name: Bad_Name}\n",
    );
    let codes: Vec<&str> = workspace
        .check(&ValidationProfile::default())
        .iter()
        .map(|d| d.rule.code)
        .collect();
    assert_eq!(codes, ["NW1002"], "only the v1 NetworkPolicy is validated");
}

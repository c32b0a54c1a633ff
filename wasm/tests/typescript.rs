//! `types/netward.d.ts` is generated from the Rust types the engine hands to JavaScript; this
//! test fails when it is stale. Regenerate with
//! `UPDATE_TYPES=1 cargo test -p netward-wasm --features typescript --test typescript`.
#![cfg(feature = "typescript")]

use netward_core::admission::{Decision, Denial, Finding, Mode, ObjectAnswer, Outcome};
use netward_core::diagnostic::{Category, ObjectRef, Severity};
use netward_core::inspect::{
    ClusterView, NamespaceView, PodView, PolicyView, PortRoute, PortView, SelectorMatch,
    ServiceRoutes,
};
use netward_core::netpol::explain::{
    EndpointReport, MissReport, Place, PolicyReport, RuleReport, SideReport,
};
use netward_core::netpol::{Explanation, Protocol};
use netward_core::report::{
    LineColumn, Range, RelatedLocation, ReportedDiagnostic, ReportedEdit, ReportedFix,
};
use netward_core::rules::{RuleInfo, Scope};
use netward_wasm::{ExplainQuery, Flow, ReachAnswer, ReachQuery};
use ts_rs::{Config, TS};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/types/netward.d.ts");

fn declarations() -> String {
    let config = Config::new();
    let mut out = String::from(
        "// Generated from the Rust types by\n\
         // `UPDATE_TYPES=1 cargo test -p netward-wasm --features typescript --test typescript`.\n\
         // Do not edit by hand.\n\n\
         /** How columns and offsets are counted. */\n\
         export type PositionEncoding = \"utf-8\" | \"utf-16\" | \"utf-32\";\n",
    );
    macro_rules! declare {
        ($($type:ty),* $(,)?) => {
            $(
                out.push('\n');
                out.push_str("export ");
                out.push_str(&<$type as TS>::decl(&config));
                out.push('\n');
            )*
        };
    }
    declare!(
        Severity,
        Category,
        Scope,
        ObjectRef,
        LineColumn,
        Range,
        RelatedLocation,
        ReportedEdit,
        ReportedFix,
        ReportedDiagnostic,
        RuleInfo,
        SelectorMatch,
        PortRoute,
        ServiceRoutes,
        ReachQuery,
        Flow,
        ReachAnswer,
        ExplainQuery,
        Protocol,
        Place,
        EndpointReport,
        PolicyReport,
        RuleReport,
        MissReport,
        SideReport,
        Explanation,
        NamespaceView,
        PortView,
        PodView,
        PolicyView,
        ClusterView,
        Mode,
        Decision,
        Finding,
        Denial,
        Outcome,
        ObjectAnswer,
    );
    out
}

#[test]
fn declarations_are_current() {
    let fresh = declarations();
    if std::env::var_os("UPDATE_TYPES").is_some() {
        if let Err(e) = std::fs::write(PATH, &fresh) {
            unreachable!("cannot write {PATH}: {e}");
        }
        return;
    }
    let committed = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        committed == fresh,
        "{PATH} is stale; regenerate it with UPDATE_TYPES=1 (see the top of this test)"
    );
}

//! Kubernetes label selectors.
//!
//! Two forms exist upstream and both are modelled here:
//!
//! * the **string grammar** of `labels.Parse` (`?labelSelector=`, `kubectl -l`), parsed by
//!   [`parse`] into a [`Selector`] whose [`Display`](std::fmt::Display) is the canonical
//!   Kubernetes string (`a=b,c in (x,y),!d,e`);
//! * the **structured** `metav1.LabelSelector` of manifests ([`LabelSelector`]), validated the
//!   way the API server validates it and convertible to a [`Selector`].
//!
//! Matching ([`Selector::matches`], [`Requirement::matches`], [`LabelSelector::matches`]) does
//! not allocate: it is meant to run over many label sets.

mod error;
mod label_selector;
mod lexer;
mod parse;
mod requirement;

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

pub use error::{SelectorError, SelectorErrorKind};
pub use label_selector::{LabelSelector, LabelSelectorRequirement, SelectorValidation};
pub use parse::parse;
pub use requirement::{Operator, Requirement, Selector};

/// A set of labels a selector can be matched against.
pub trait Labels {
    /// The value of the label `key`, or `None` when the label is absent.
    fn label(&self, key: &str) -> Option<&str>;
}

impl Labels for BTreeMap<String, String> {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl<S: BuildHasher> Labels for HashMap<String, String, S> {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl<T: Labels + ?Sized> Labels for &T {
    fn label(&self, key: &str) -> Option<&str> {
        (**self).label(key)
    }
}

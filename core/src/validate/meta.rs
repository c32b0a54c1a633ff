//! ObjectMeta validation shared by every kind (reference §3).

use super::error::FieldError;
use super::primitives::{dns1123_label, label_value, qualified_name};
use super::profile::ValidationProfile;
use crate::model::ObjectMeta;
use crate::path::FieldPath;

/// The largest total size of all annotation keys and values, in bytes.
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

/// A kind's rule for `metadata.name`: returns the problems with a name (empty = valid).
pub type NameRule = fn(&str) -> Vec<String>;

/// Validates `metadata` of a namespaced object whose names follow `name_rule`.
pub fn validate_object_meta(
    meta: &ObjectMeta,
    name_rule: NameRule,
    profile: &ValidationProfile,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let path = FieldPath::new(["metadata"]);

    let generate_name = meta.generate_name.as_deref().unwrap_or_default();
    if !generate_name.is_empty() {
        let masked = mask_generate_name(generate_name);
        for problem in name_rule(&masked) {
            errors.push(FieldError::invalid(
                &path.child("generateName"),
                generate_name,
                problem,
            ));
        }
    }

    match meta.name.as_deref().unwrap_or_default() {
        "" if generate_name.is_empty() => {
            errors.push(FieldError::required(
                &path.child("name"),
                "name or generateName is required",
            ));
        }
        "" => {}
        name => {
            for problem in name_rule(name) {
                errors.push(FieldError::invalid(&path.child("name"), name, problem));
            }
        }
    }

    match meta.namespace.as_deref().unwrap_or_default() {
        "" if profile.require_namespace => {
            errors.push(FieldError::required(&path.child("namespace"), ""));
        }
        "" => {}
        namespace => {
            for problem in dns1123_label(namespace) {
                errors.push(FieldError::invalid(
                    &path.child("namespace"),
                    namespace,
                    problem,
                ));
            }
        }
    }

    if let Some(generation) = meta.generation.filter(|g| *g < 0) {
        errors.push(FieldError::invalid(
            &path.child("generation"),
            generation,
            "must be greater than or equal to 0",
        ));
    }

    errors.extend(validate_labels_and_annotations(meta, &path));
    errors
}

fn validate_labels_and_annotations(meta: &ObjectMeta, path: &FieldPath) -> Vec<FieldError> {
    let mut errors = validate_labels(&meta.labels, &path.child("labels"));
    errors.extend(validate_annotations(
        &meta.annotations,
        &path.child("annotations"),
    ));
    errors
}

/// Label keys must be qualified names and values label values; every error is reported on
/// the map's own path, as upstream does.
pub fn validate_labels<'a>(
    labels: impl IntoIterator<Item = (&'a String, &'a String)>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (key, value) in labels {
        for problem in qualified_name(key) {
            errors.push(FieldError::invalid(path, key, problem));
        }
        for problem in label_value(value) {
            errors.push(FieldError::invalid(path, value, problem));
        }
    }
    errors
}

/// Annotation keys are qualified names (checked lower-cased); the total size is limited.
pub fn validate_annotations<'a>(
    annotations: impl IntoIterator<Item = (&'a String, &'a String)>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut total = 0usize;
    for (key, value) in annotations {
        total = total.saturating_add(key.len()).saturating_add(value.len());
        for problem in qualified_name(&key.to_ascii_lowercase()) {
            errors.push(FieldError::invalid(path, key, problem));
        }
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errors.push(FieldError::too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
    errors
}

/// `generateName` is checked in prefix mode: a trailing `-` (on values longer than one
/// character) has its last two characters replaced by `a`.
fn mask_generate_name(prefix: &str) -> String {
    if prefix.len() > 1 && prefix.ends_with('-') {
        let mut chars: Vec<char> = prefix.chars().collect();
        chars.truncate(chars.len().saturating_sub(2));
        chars.push('a');
        chars.into_iter().collect()
    } else {
        prefix.to_owned()
    }
}

/// The update-only metadata rules: `resourceVersion` must be given, `name` and `namespace`
/// may not change (an empty namespace is compared only when the profile requires one, since
/// raw manifests take it from the request), and labels and annotations are checked again.
pub fn validate_object_meta_update(
    new: &ObjectMeta,
    old: &ObjectMeta,
    profile: &ValidationProfile,
) -> Vec<FieldError> {
    let path = FieldPath::new(["metadata"]);
    let mut errors = Vec::new();
    if new
        .resource_version
        .as_deref()
        .unwrap_or_default()
        .is_empty()
    {
        errors.push(FieldError::invalid(
            &path.child("resourceVersion"),
            "",
            "must be specified for an update",
        ));
    }
    let text = |value: &Option<String>| value.as_deref().unwrap_or_default().to_owned();
    let (name, old_name) = (text(&new.name), text(&old.name));
    if name != old_name {
        errors.push(FieldError::invalid(
            &path.child("name"),
            &name,
            "field is immutable",
        ));
    }
    let (namespace, old_namespace) = (text(&new.namespace), text(&old.namespace));
    let comparable =
        profile.require_namespace || !(namespace.is_empty() || old_namespace.is_empty());
    if comparable && namespace != old_namespace {
        errors.push(FieldError::invalid(
            &path.child("namespace"),
            &namespace,
            "field is immutable",
        ));
    }
    errors.extend(validate_labels_and_annotations(new, &path));
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_name_is_masked() {
        assert_eq!(mask_generate_name("web-"), "wea");
        assert_eq!(mask_generate_name("a-"), "a");
        assert_eq!(mask_generate_name("-"), "-");
        assert_eq!(mask_generate_name("web"), "web");
    }
}

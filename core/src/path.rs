//! Kubernetes field paths such as `spec.ports[1].targetPort` or
//! `metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]`.

use std::fmt;

use compact_str::CompactString;

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A struct field, rendered `.name` (short names are stored inline, so paths are cheap to
    /// extend while decoding).
    Field(CompactString),
    /// A list index, rendered `[3]`.
    Index(usize),
    /// A map key, rendered `[key]` (no quotes, as the API server does).
    Key(CompactString),
}

/// A path to a field of a Kubernetes object, rendered the way the API server renders it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath {
    segments: Vec<Segment>,
}

impl FieldPath {
    /// The empty path (the object itself).
    pub fn root() -> Self {
        Self::default()
    }

    /// A path made of dotted field names, e.g. `FieldPath::new(["spec", "ports"])`.
    pub fn new<'a>(fields: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            segments: fields
                .into_iter()
                .map(|f| Segment::Field(f.into()))
                .collect(),
        }
    }

    /// This path extended by a struct field.
    #[must_use]
    pub fn child(&self, field: &str) -> Self {
        self.with(Segment::Field(field.into()))
    }

    /// This path extended by a list index.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        self.with(Segment::Index(index))
    }

    /// This path extended by a map key.
    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        self.with(Segment::Key(key.into()))
    }

    fn with(&self, segment: Segment) -> Self {
        let mut segments = Vec::with_capacity(self.segments.len() + 1);
        segments.extend_from_slice(&self.segments);
        segments.push(segment);
        Self { segments }
    }

    /// The steps of the path, outermost first.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// True for the empty path.
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Field(name) if i == 0 => f.write_str(name)?,
                Segment::Field(name) => write!(f, ".{name}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key(key) => write!(f, "[{key}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_the_api_server() {
        let path = FieldPath::new(["spec", "ports"])
            .index(1)
            .child("targetPort");
        assert_eq!(path.to_string(), "spec.ports[1].targetPort");
        let annotation = FieldPath::new(["metadata", "annotations"]).key("a.io/b");
        assert_eq!(annotation.to_string(), "metadata.annotations[a.io/b]");
        assert_eq!(FieldPath::root().to_string(), "");
    }
}

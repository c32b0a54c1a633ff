//! Protocols and port sets: sorted, merged, inclusive port intervals per protocol.

use std::fmt;

use serde::Serialize;

/// The L4 protocols NetworkPolicy speaks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum Protocol {
    /// TCP (the default of a policy port without `protocol`).
    #[serde(rename = "TCP")]
    Tcp,
    /// UDP.
    #[serde(rename = "UDP")]
    Udp,
    /// SCTP.
    #[serde(rename = "SCTP")]
    Sctp,
}

impl Protocol {
    /// Every protocol, in the order reports list them.
    pub const ALL: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

    /// Reads `TCP`, `UDP` or `SCTP` (case-insensitive, as people type them on a command line).
    pub fn parse(text: &str) -> Option<Protocol> {
        Protocol::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(text))
    }

    /// The Kubernetes spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }

    /// The protocol a Kubernetes `protocol` field means: absent is TCP; an unknown value is
    /// `None` (validation rejects it).
    pub fn from_field(field: Option<&str>) -> Option<Protocol> {
        match field {
            None => Some(Protocol::Tcp),
            Some(text) => Protocol::ALL.into_iter().find(|p| p.as_str() == text),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An inclusive range of ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortRange {
    /// First port.
    pub start: u16,
    /// Last port (inclusive).
    pub end: u16,
}

impl PortRange {
    /// Every port a connection can use (1-65535).
    pub const ALL: PortRange = PortRange {
        start: 1,
        end: u16::MAX,
    };

    /// One port.
    pub fn single(port: u16) -> Self {
        Self {
            start: port,
            end: port,
        }
    }

    /// Whether `port` is inside.
    pub fn contains(&self, port: u16) -> bool {
        self.start <= port && port <= self.end
    }
}

impl Serialize for PortRange {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        [self.start, self.end].serialize(serializer)
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

/// A set of ports of one protocol: sorted, non-overlapping, non-adjacent ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PortSet {
    ranges: Vec<PortRange>,
}

impl PortSet {
    /// No port.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Every port.
    pub fn all() -> Self {
        Self {
            ranges: vec![PortRange::ALL],
        }
    }

    /// The ranges, sorted and merged.
    pub fn ranges(&self) -> &[PortRange] {
        &self.ranges
    }

    /// True when no port is in the set.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// True when every port is in the set.
    pub fn is_all(&self) -> bool {
        self.ranges == [PortRange::ALL]
    }

    /// Whether `port` is in the set.
    pub fn contains(&self, port: u16) -> bool {
        let after = self.ranges.partition_point(|r| r.end < port);
        self.ranges.get(after).is_some_and(|r| r.contains(port))
    }

    /// Adds a range, keeping the set sorted and merged.
    pub fn insert(&mut self, range: PortRange) {
        if range.start > range.end {
            return;
        }
        // Ranges that overlap or touch `range` are merged into it.
        let first = self
            .ranges
            .partition_point(|r| u32::from(r.end) + 1 < u32::from(range.start));
        let last = self
            .ranges
            .partition_point(|r| u32::from(r.start) <= u32::from(range.end) + 1);
        let mut merged = range;
        if let Some(touching) = self.ranges.get(first..last) {
            for r in touching {
                merged.start = merged.start.min(r.start);
                merged.end = merged.end.max(r.end);
            }
        }
        self.ranges.splice(first..last.max(first), [merged]);
    }

    /// Adds every port of `other`.
    pub fn union_with(&mut self, other: &PortSet) {
        for range in &other.ranges {
            self.insert(*range);
        }
    }

    /// The ports in both sets.
    pub fn intersection(&self, other: &PortSet) -> PortSet {
        let mut ranges = Vec::new();
        let (mut a, mut b) = (
            self.ranges.iter().peekable(),
            other.ranges.iter().peekable(),
        );
        while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
            let start = x.start.max(y.start);
            let end = x.end.min(y.end);
            if start <= end {
                ranges.push(PortRange { start, end });
            }
            if x.end < y.end {
                a.next();
            } else {
                b.next();
            }
        }
        PortSet { ranges }
    }
}

impl fmt::Display for PortSet {
    /// `80, 443, 8000-8080`; `all` for every port; empty for none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            return f.write_str("all");
        }
        for (i, range) in self.ranges.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{range}")?;
        }
        Ok(())
    }
}

/// Ports per protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ProtocolPorts {
    sets: [PortSet; 3],
}

impl ProtocolPorts {
    /// Nothing.
    pub fn none() -> Self {
        Self::default()
    }

    /// Every port of every protocol.
    pub fn all() -> Self {
        Self {
            sets: [PortSet::all(), PortSet::all(), PortSet::all()],
        }
    }

    /// The ports of one protocol.
    pub fn get(&self, protocol: Protocol) -> &PortSet {
        let [tcp, udp, sctp] = &self.sets;
        match protocol {
            Protocol::Tcp => tcp,
            Protocol::Udp => udp,
            Protocol::Sctp => sctp,
        }
    }

    /// The ports of one protocol, to change.
    pub fn get_mut(&mut self, protocol: Protocol) -> &mut PortSet {
        let [tcp, udp, sctp] = &mut self.sets;
        match protocol {
            Protocol::Tcp => tcp,
            Protocol::Udp => udp,
            Protocol::Sctp => sctp,
        }
    }

    /// True when nothing is allowed.
    pub fn is_empty(&self) -> bool {
        self.sets.iter().all(PortSet::is_empty)
    }

    /// True when everything is allowed.
    pub fn is_all(&self) -> bool {
        self.sets.iter().all(PortSet::is_all)
    }

    /// Adds every port of `other`.
    pub fn union_with(&mut self, other: &ProtocolPorts) {
        for protocol in Protocol::ALL {
            self.get_mut(protocol).union_with(other.get(protocol));
        }
    }

    /// What both allow.
    pub fn intersection(&self, other: &ProtocolPorts) -> ProtocolPorts {
        let mut result = ProtocolPorts::none();
        for protocol in Protocol::ALL {
            *result.get_mut(protocol) = self.get(protocol).intersection(other.get(protocol));
        }
        result
    }
}

impl Serialize for ProtocolPorts {
    /// `{"TCP": [[80, 80]], "UDP": [], "SCTP": []}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(3))?;
        for protocol in Protocol::ALL {
            map.serialize_entry(protocol.as_str(), self.get(protocol))?;
        }
        map.end()
    }
}

impl fmt::Display for ProtocolPorts {
    /// `TCP 80, 443; UDP 53`, `all`, or `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            return f.write_str("all ports");
        }
        if self.is_empty() {
            return f.write_str("none");
        }
        let mut first = true;
        for protocol in Protocol::ALL {
            let set = self.get(protocol);
            if set.is_empty() {
                continue;
            }
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{protocol} {set}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ranges: &[(u16, u16)]) -> PortSet {
        let mut s = PortSet::empty();
        for &(start, end) in ranges {
            s.insert(PortRange { start, end });
        }
        s
    }

    #[test]
    fn insert_merges_overlapping_and_adjacent_ranges() {
        let s = set(&[
            (80, 80),
            (443, 443),
            (81, 82),
            (8000, 8080),
            (79, 79),
            (8050, 9000),
        ]);
        assert_eq!(s.to_string(), "79-82, 443, 8000-9000");
        assert!(s.contains(81) && s.contains(9000) && !s.contains(83) && !s.contains(1));
        assert_eq!(set(&[(1, 100), (50, 65535)]).to_string(), "all");
        assert_eq!(set(&[(10, 20), (1, 5), (6, 9)]).to_string(), "1-20");
    }

    #[test]
    fn intersection_of_interleaved_sets() {
        let a = set(&[(1, 10), (20, 30), (40, 50)]);
        let b = set(&[(5, 25), (50, 60)]);
        assert_eq!(a.intersection(&b).to_string(), "5-10, 20-25, 50");
        assert!(a.intersection(&PortSet::empty()).is_empty());
        assert_eq!(a.intersection(&PortSet::all()), a);
    }

    #[test]
    fn protocol_ports_display_and_json() {
        let mut p = ProtocolPorts::none();
        p.get_mut(Protocol::Tcp).insert(PortRange::single(80));
        p.get_mut(Protocol::Udp)
            .insert(PortRange { start: 53, end: 53 });
        assert_eq!(p.to_string(), "TCP 80; UDP 53");
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"TCP":[[80,80]],"UDP":[[53,53]],"SCTP":[]}"#
        );
        assert_eq!(ProtocolPorts::all().to_string(), "all ports");
        assert_eq!(Protocol::parse("sctp"), Some(Protocol::Sctp));
        assert_eq!(Protocol::from_field(None), Some(Protocol::Tcp));
        assert_eq!(Protocol::from_field(Some("tcp")), None);
    }
}

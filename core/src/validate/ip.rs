//! IP addresses and CIDRs the way the API server reads them (reference spec §2.7).
//!
//! Two upstream parsers are emulated:
//!
//! * the **sloppy** parser, k8s.io/utils `ParseIPSloppy` / `ParseCIDRSloppy` (a fork of Go
//!   1.16's `net.ParseIP` / `net.ParseCIDR`), implemented by [`parse_ip_sloppy`] and
//!   [`parse_cidr_sloppy`]. It decides whether a legacy field parses at all.
//! * the **strict** parser, Go's `netip.ParseAddr` / `netip.ParsePrefix`. It accepts exactly
//!   what the sloppy parser accepts minus the "leading zeros" spellings, so instead of a second
//!   parser the sloppy result records them in [`ParsedIp::leading_zeros`] /
//!   [`ParsedCidr::leading_zeros`]:
//!   - an IPv4 octet (alone or embedded in IPv6) with a redundant leading `0` (`010`, `00`),
//!   - an IPv6 group of more than four hex digits (`00001`; the sloppy parser only bounds the
//!     group's *value* by `0xffff`, netip also bounds its length),
//!   - a prefix length with a redundant leading `0` (`/08`, `/00`).
//!
//! The parsers work on bytes in a single forward pass with bounded accumulators, so any input
//! (long digit runs, megabytes of colons, non-ASCII) is rejected or accepted in linear time
//! without overflow.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::path::FieldPath;
use crate::validate::error::FieldError;

/// Detail of the error for a value that the sloppy IP parser rejects.
pub const INVALID_IP_DETAIL: &str = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
/// Detail of the error for a value that the sloppy CIDR parser rejects.
pub const INVALID_CIDR_DETAIL: &str =
    "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

/// An IP family, as Kubernetes names them in `spec.ipFamilies`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IpFamily {
    /// IPv4 (including IPv4-mapped IPv6 literals, which Go treats as IPv4).
    V4,
    /// IPv6.
    V6,
}

impl IpFamily {
    /// The Kubernetes spelling: `IPv4` or `IPv6`.
    pub fn as_str(self) -> &'static str {
        match self {
            IpFamily::V4 => "IPv4",
            IpFamily::V6 => "IPv6",
        }
    }

    fn of(addr: IpAddr) -> Self {
        match addr {
            IpAddr::V4(_) => IpFamily::V4,
            IpAddr::V6(_) => IpFamily::V6,
        }
    }
}

/// An IP address accepted by the sloppy parser, with what the strict checks need to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParsedIp {
    /// The address; an IPv4-mapped IPv6 literal (`::ffff:1.2.3.4`, `::ffff:102:304`) is
    /// normalised to the IPv4 address, as Go's `To4()` does.
    pub addr: IpAddr,
    /// The literal was IPv6 text denoting an IPv4-mapped address (netip's `Is4In6`).
    pub ipv4_mapped: bool,
    /// The literal has a spelling that netip rejects: a zero-padded IPv4 octet or an IPv6
    /// group longer than four hex digits.
    pub leading_zeros: bool,
}

impl ParsedIp {
    /// The family Go assigns (IPv4-mapped counts as IPv4).
    pub fn family(&self) -> IpFamily {
        IpFamily::of(self.addr)
    }
}

/// A CIDR accepted by the sloppy parser.
///
/// Representation of IPv4-mapped addresses (Go's `ParseCIDR` reads any IPv6 spelling with a
/// 128-bit mask): when the masked network is still IPv4-mapped — the address is mapped and the
/// written prefix is at least 96 — Go treats the network as IPv4, so `addr` is the IPv4 address
/// and `prefix_len` is the written prefix minus 96 (`::ffff:1.2.3.0/120` is `1.2.3.0/24`).
/// With a written prefix below 96 the masked network is an ordinary IPv6 network, so `addr`
/// stays IPv6 and `prefix_len` is the written one (`::ffff:1.2.3.4/90`). In both cases
/// `ipv4_mapped` is set. [`ParsedCidr::written_prefix_len`] gives back the written prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParsedCidr {
    /// The address as written (host bits kept), mapped addresses normalised as described above.
    pub addr: IpAddr,
    /// Prefix length relative to `addr`'s family (0..=32 or 0..=128).
    pub prefix_len: u8,
    /// The address was IPv6 text denoting an IPv4-mapped address.
    pub ipv4_mapped: bool,
    /// The address or the prefix length has a spelling that netip rejects (see module docs).
    pub leading_zeros: bool,
    /// Bits are set beyond the prefix length (`192.168.1.5/24`).
    pub host_bits_set: bool,
}

impl ParsedCidr {
    /// The family of the network, as Go's `IPNet.Contains` sees it.
    pub fn family(&self) -> IpFamily {
        IpFamily::of(self.addr)
    }

    /// The network address: `addr` with the bits beyond the prefix cleared.
    pub fn network(&self) -> IpAddr {
        mask_addr(self.addr, self.prefix_len)
    }

    /// The prefix length as written, which is what Go's `IPNet.Mask.Size()` reports: out of
    /// 128 for any IPv6 spelling, including IPv4-mapped ones.
    pub fn written_prefix_len(&self) -> u8 {
        match self.addr {
            IpAddr::V4(_) if self.ipv4_mapped => self.prefix_len.saturating_add(96),
            _ => self.prefix_len,
        }
    }

    /// Whether `ip` lies in this network, like Go's `IPNet.Contains`: an IPv4-mapped `ip`
    /// counts as IPv4, and an address never matches a network of the other family.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, normalise(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                (u32::from(net) ^ u32::from(ip)) & mask32(self.prefix_len) == 0
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                (u128::from(net) ^ u128::from(ip)) & mask128(self.prefix_len) == 0
            }
            _ => false,
        }
    }

    /// NP-IPBLOCK-EXCEPT-SUBSET: `outer` contains this CIDR's (masked) network address and
    /// `outer`'s prefix is strictly shorter. Exactly upstream's
    /// `cidr.Contains(except.IP) && cidrMaskSize < exceptMaskSize`, so the prefix lengths are
    /// compared as written: `::ffff:1.2.3.0/120` is a strict subset of `1.2.3.0/24`, while
    /// `1.2.3.0/24` is not one of `::ffff:1.2.0.0/112`.
    pub fn is_strict_subset_of(&self, outer: &ParsedCidr) -> bool {
        outer.contains(self.network()) && outer.written_prefix_len() < self.written_prefix_len()
    }
}

/// Parses an IP address like k8s.io/utils `ParseIPSloppy` (Go 1.16 `net.ParseIP`).
///
/// Accepts dotted-quad IPv4 with zero-padded octets read as decimal (`010.1.2.3` is
/// 10.1.2.3), and any IPv6 spelling: upper case, `::`, zero-padded groups of any length whose
/// value fits 16 bits, a trailing dotted quad (also zero-padded), IPv4-mapped addresses.
/// Rejects zones, brackets, ports, signs, whitespace, out-of-range values and the empty string.
pub fn parse_ip_sloppy(s: &str) -> Option<ParsedIp> {
    let bytes = s.as_bytes();
    // Like Go: the first '.' or ':' decides between the two grammars.
    match bytes.iter().find(|&&b| b == b'.' || b == b':') {
        Some(b'.') => parse_v4(bytes).map(|(octets, leading_zeros)| ParsedIp {
            addr: IpAddr::V4(Ipv4Addr::from(octets)),
            ipv4_mapped: false,
            leading_zeros,
        }),
        Some(_) => parse_v6(bytes).map(|(octets, leading_zeros)| {
            let v6 = Ipv6Addr::from(octets);
            match v6.to_ipv4_mapped() {
                Some(v4) => ParsedIp {
                    addr: IpAddr::V4(v4),
                    ipv4_mapped: true,
                    leading_zeros,
                },
                None => ParsedIp {
                    addr: IpAddr::V6(v6),
                    ipv4_mapped: false,
                    leading_zeros,
                },
            }
        }),
        None => None,
    }
}

/// Parses a CIDR like k8s.io/utils `ParseCIDRSloppy` (Go 1.16 `net.ParseCIDR`).
///
/// The text is split at the first `/`; the address follows [`parse_ip_sloppy`] and the prefix
/// must be one or more ASCII digits (zero padding allowed) not exceeding 32 for a dotted quad
/// or 128 for any IPv6 spelling. Host bits may be set. See [`ParsedCidr`] for how IPv4-mapped
/// addresses are represented.
pub fn parse_cidr_sloppy(s: &str) -> Option<ParsedCidr> {
    let (addr_text, prefix_text) = s.split_once('/')?;
    let addr_bytes = addr_text.as_bytes();
    let prefix_bytes = prefix_text.as_bytes();
    let prefix_zeros = has_leading_zero(prefix_bytes);

    if let Some((octets, addr_zeros)) = parse_v4(addr_bytes) {
        let prefix_len = parse_decimal(prefix_bytes, 32)?;
        return Some(build_cidr(
            IpAddr::V4(Ipv4Addr::from(octets)),
            prefix_len,
            false,
            addr_zeros || prefix_zeros,
        ));
    }

    let (octets, addr_zeros) = parse_v6(addr_bytes)?;
    let written = parse_decimal(prefix_bytes, 128)?;
    let v6 = Ipv6Addr::from(octets);
    let (addr, prefix_len, ipv4_mapped) = match v6.to_ipv4_mapped() {
        Some(v4) if written >= 96 => (IpAddr::V4(v4), written.saturating_sub(96), true),
        Some(_) => (IpAddr::V6(v6), written, true),
        None => (IpAddr::V6(v6), written, false),
    };
    Some(build_cidr(
        addr,
        prefix_len,
        ipv4_mapped,
        addr_zeros || prefix_zeros,
    ))
}

/// PRIM-IP-LEGACY: the value must parse with the sloppy parser; with `strict`
/// (StrictIPCIDRValidation) it must also have no leading zeros and not be IPv4-mapped.
/// At most one error. Ratcheting against old values is the caller's business.
pub fn validate_legacy_ip(path: &FieldPath, value: &str, strict: bool) -> Vec<FieldError> {
    let Some(ip) = parse_ip_sloppy(value) else {
        return vec![FieldError::invalid(path, value, INVALID_IP_DETAIL)];
    };
    if !strict {
        return Vec::new();
    }
    // Upstream: netip.ParseAddr failing means leading zeros, and then its zero Addr is not
    // Is4In6, so the two strict complaints never come together.
    if ip.leading_zeros {
        vec![FieldError::invalid(path, value, "must not have leading 0s")]
    } else if ip.ipv4_mapped {
        vec![FieldError::invalid(
            path,
            value,
            "must not be an IPv4-mapped IPv6 address",
        )]
    } else {
        Vec::new()
    }
}

/// PRIM-CIDR-LEGACY: the value must parse with the sloppy CIDR parser; with `strict` it must
/// also have no leading zeros (address or prefix), no IPv4-mapped address and no host bits
/// set. At most one error (upstream checks these in that order and stops at the first).
pub fn validate_legacy_cidr(path: &FieldPath, value: &str, strict: bool) -> Vec<FieldError> {
    let Some(cidr) = parse_cidr_sloppy(value) else {
        return vec![FieldError::invalid(path, value, INVALID_CIDR_DETAIL)];
    };
    if !strict {
        return Vec::new();
    }
    let detail = if cidr.leading_zeros {
        "must not have leading 0s in IP or prefix length"
    } else if cidr.ipv4_mapped {
        "must not have an IPv4-mapped IPv6 address"
    } else if cidr.host_bits_set {
        "must not have bits set beyond the prefix length"
    } else {
        return Vec::new();
    };
    vec![FieldError::invalid(path, value, detail)]
}

/// SVC-EXTIP-SPECIAL (upstream `ValidateNonSpecialIP`): one error for each of Go's categories
/// the address falls in — unspecified, loopback, link-local unicast, link-local multicast.
/// `value` is the text as written (it is echoed in the messages).
pub fn validate_non_special_ip(path: &FieldPath, value: &str, ip: &ParsedIp) -> Vec<FieldError> {
    let addr = normalise(ip.addr);
    let mut errors = Vec::new();
    if go_is_unspecified(addr) {
        errors.push(FieldError::invalid(
            path,
            value,
            format!("may not be unspecified ({value})"),
        ));
    }
    if go_is_loopback(addr) {
        errors.push(FieldError::invalid(
            path,
            value,
            "may not be in the loopback range (127.0.0.0/8, ::1/128)",
        ));
    }
    if go_is_link_local_unicast(addr) {
        errors.push(FieldError::invalid(
            path,
            value,
            "may not be in the link-local range (169.254.0.0/16, fe80::/10)",
        ));
    }
    if go_is_link_local_multicast(addr) {
        errors.push(FieldError::invalid(
            path,
            value,
            "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
        ));
    }
    errors
}

// ---------------------------------------------------------------------------------------------
// Go's address categories (net.IP methods), on addresses already normalised with `normalise`.

/// `IsUnspecified`: 0.0.0.0 or ::.
fn go_is_unspecified(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(v4) => v4 == Ipv4Addr::UNSPECIFIED,
        IpAddr::V6(v6) => v6 == Ipv6Addr::UNSPECIFIED,
    }
}

/// `IsLoopback`: 127.0.0.0/8 or exactly ::1.
fn go_is_loopback(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(v4) => v4.octets().first() == Some(&127),
        IpAddr::V6(v6) => v6 == Ipv6Addr::LOCALHOST,
    }
}

/// `IsLinkLocalUnicast`: 169.254.0.0/16 or fe80::/10.
fn go_is_link_local_unicast(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(v4) => matches!(v4.octets(), [169, 254, _, _]),
        IpAddr::V6(v6) => matches!(v6.octets(), [0xfe, b, ..] if b & 0xc0 == 0x80),
    }
}

/// `IsLinkLocalMulticast`: 224.0.0.0/24, or IPv6 multicast (first byte ff) whose scope nibble
/// (low nibble of the second byte) is 2, whatever the flags nibble.
fn go_is_link_local_multicast(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(v4) => matches!(v4.octets(), [224, 0, 0, _]),
        IpAddr::V6(v6) => matches!(v6.octets(), [0xff, b, ..] if b & 0x0f == 0x02),
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing internals.

/// IPv4-mapped IPv6 addresses become IPv4 (Go's `To4()`); everything else is unchanged.
fn normalise(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        IpAddr::V4(_) => addr,
    }
}

fn build_cidr(addr: IpAddr, prefix_len: u8, ipv4_mapped: bool, leading_zeros: bool) -> ParsedCidr {
    ParsedCidr {
        addr,
        prefix_len,
        ipv4_mapped,
        leading_zeros,
        host_bits_set: mask_addr(addr, prefix_len) != addr,
    }
}

fn mask32(prefix_len: u8) -> u32 {
    let ones = u32::from(prefix_len.min(32));
    u32::MAX.checked_shl(32 - ones).unwrap_or(0)
}

fn mask128(prefix_len: u8) -> u128 {
    let ones = u32::from(prefix_len.min(128));
    u128::MAX.checked_shl(128 - ones).unwrap_or(0)
}

fn mask_addr(addr: IpAddr, prefix_len: u8) -> IpAddr {
    match addr {
        IpAddr::V4(v4) => IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask32(prefix_len))),
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask128(prefix_len))),
    }
}

/// More than one digit and the first is `0`.
fn has_leading_zero(digits: &[u8]) -> bool {
    digits.len() > 1 && digits.first() == Some(&b'0')
}

/// One or more ASCII decimal digits whose value is at most `max` (Go's `dtoi` plus the
/// caller's range check). Zero padding of any length is fine. `max` must fit in a `u8`.
fn parse_decimal(digits: &[u8], max: u8) -> Option<u8> {
    if digits.is_empty() {
        return None;
    }
    let mut value: u32 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        // value <= max <= 255 here, so this cannot overflow.
        value = value.saturating_mul(10).saturating_add(u32::from(b - b'0'));
        if value > u32::from(max) {
            return None;
        }
    }
    u8::try_from(value).ok()
}

/// One or more ASCII hex digits whose value fits 16 bits (Go's `xtoi` plus `n > 0xFFFF`).
fn parse_hex_group(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() {
        return None;
    }
    let mut value: u32 = 0;
    for &b in digits {
        let digit = char::from(b).to_digit(16)?;
        value = value.saturating_mul(16).saturating_add(digit);
        if value > 0xffff {
            return None;
        }
    }
    u16::try_from(value).ok()
}

/// Dotted-quad IPv4 (Go 1.16 `parseIPv4`): exactly four `.`-separated decimal fields, each
/// 0..=255 with any zero padding. Returns the octets and whether any field was zero-padded.
fn parse_v4(s: &[u8]) -> Option<([u8; 4], bool)> {
    let mut octets = [0u8; 4];
    let mut leading_zeros = false;
    let mut fields = s.split(|&b| b == b'.');
    for octet in &mut octets {
        let field = fields.next()?;
        *octet = parse_decimal(field, 255)?;
        leading_zeros |= has_leading_zero(field);
    }
    if fields.next().is_some() {
        return None;
    }
    Some((octets, leading_zeros))
}

/// Copies `src` into `dst` from index `at`, silently dropping whatever does not fit.
fn put(dst: &mut [u8; 16], at: usize, src: &[u8]) {
    for (d, s) in dst.iter_mut().skip(at).zip(src) {
        *d = *s;
    }
}

/// IPv6 text (Go 1.16 `parseIPv6`): hex groups separated by `:`, at most one `::` standing
/// for at least one zero group, optionally ending in a dotted quad that takes the place of
/// two groups (anywhere after a `::`, otherwise as groups 7–8). Returns the 16 bytes and
/// whether any group had more than four digits or the dotted quad was zero-padded.
fn parse_v6(s: &[u8]) -> Option<([u8; 16], bool)> {
    let mut ip = [0u8; 16];
    let mut leading_zeros = false;
    let mut ellipsis: Option<usize> = None;
    let mut rest = s;

    if let Some(after) = rest.strip_prefix(b"::") {
        ellipsis = Some(0);
        rest = after;
        if rest.is_empty() {
            return Some((ip, false));
        }
    }

    // `i` is the number of bytes filled so far.
    let mut i = 0usize;
    while i < 16 {
        let digits = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        if digits == 0 {
            return None;
        }
        let (group, after) = rest.split_at_checked(digits)?;

        if after.first() == Some(&b'.') {
            // A trailing dotted quad, starting at this group. (Go first bounds the group's
            // hex value by 0xffff; no valid decimal octet fails that, so parse_v4 decides.)
            if ellipsis.is_none() && i != 12 {
                return None;
            }
            if i > 12 {
                return None;
            }
            let (v4, zeros) = parse_v4(rest)?;
            put(&mut ip, i, &v4);
            leading_zeros |= zeros;
            rest = &[];
            i += 4;
            break;
        }

        let value = parse_hex_group(group)?;
        leading_zeros |= group.len() > 4;
        put(&mut ip, i, &value.to_be_bytes());
        i += 2;

        rest = after;
        if rest.is_empty() {
            break;
        }
        // Otherwise a ':' and something after it.
        rest = match rest {
            [b':', tail @ ..] if !tail.is_empty() => tail,
            _ => return None,
        };
        if let Some(tail) = rest.strip_prefix(b":") {
            if ellipsis.is_some() {
                return None;
            }
            ellipsis = Some(i);
            rest = tail;
            if rest.is_empty() {
                break;
            }
        }
    }

    if !rest.is_empty() {
        return None;
    }

    if i < 16 {
        // Expand the ellipsis: the bytes parsed after it move to the end.
        let at = ellipsis?;
        let gap = 16 - i;
        let tail = ip.get_mut(at..)?;
        if gap > tail.len() {
            return None;
        }
        tail.rotate_right(gap);
    } else if ellipsis.is_some() {
        // `::` must stand for at least one zero group.
        return None;
    }
    Some((ip, leading_zeros))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::error::ErrorKind;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn v4(s: &str) -> IpAddr {
        IpAddr::V4(Ipv4Addr::from_str(s).unwrap())
    }

    fn v6(s: &str) -> IpAddr {
        IpAddr::V6(Ipv6Addr::from_str(s).unwrap())
    }

    fn ip(s: &str) -> ParsedIp {
        parse_ip_sloppy(s).unwrap_or_else(|| panic!("{s:?} should parse"))
    }

    fn cidr(s: &str) -> ParsedCidr {
        parse_cidr_sloppy(s).unwrap_or_else(|| panic!("{s:?} should parse"))
    }

    fn path() -> FieldPath {
        FieldPath::new(["spec", "externalIPs"]).index(0)
    }

    fn details(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.detail.as_str()).collect()
    }

    // ----- IP: sloppy accepts -------------------------------------------------------------

    #[test]
    fn ipv4_plain() {
        for (s, want) in [
            ("1.2.3.4", "1.2.3.4"),
            ("0.0.0.0", "0.0.0.0"),
            ("255.255.255.255", "255.255.255.255"),
            ("10.0.0.1", "10.0.0.1"),
            ("10.1.2.3", "10.1.2.3"),
            ("192.168.5.6", "192.168.5.6"),
            ("127.0.1.2", "127.0.1.2"),
            ("169.254.169.254", "169.254.169.254"),
        ] {
            let p = ip(s);
            assert_eq!(p.addr, v4(want), "{s}");
            assert!(!p.ipv4_mapped && !p.leading_zeros, "{s}");
            assert_eq!(p.family(), IpFamily::V4);
        }
    }

    #[test]
    fn ipv4_leading_zeros_are_decimal() {
        for (s, want) in [
            ("010.1.2.3", "10.1.2.3"),
            ("010.001.002.003", "10.1.2.3"),
            ("010.000.000.001", "10.0.0.1"),
            ("127.001.002.003", "127.1.2.3"),
            ("127.007.008.009", "127.7.8.9"),
            ("127.010.020.030", "127.10.20.30"),
            ("123.000.000.000", "123.0.0.0"),
            ("0123.0.0.1", "123.0.0.1"),
            ("00.0.0.0", "0.0.0.0"),
            ("0000000000000000000000000001.2.3.0255", "1.2.3.255"),
        ] {
            let p = ip(s);
            assert_eq!(p.addr, v4(want), "{s}");
            assert!(p.leading_zeros && !p.ipv4_mapped, "{s}");
        }
        // A single 0 is not a leading zero.
        assert!(!ip("0.0.0.0").leading_zeros);
        assert!(!ip("10.0.0.0").leading_zeros);
    }

    #[test]
    fn ipv6_spellings() {
        for (s, want, zeros) in [
            ("::", "::", false),
            ("::1", "::1", false),
            ("0:0::1", "::1", false),
            ("2001:db8::1", "2001:db8::1", false),
            ("2001::1", "2001::1", false),
            ("2001:DB8:0:0::1", "2001:db8::1", false),
            ("2001:4860:0:2001::68", "2001:4860:0:2001::68", false),
            (
                "2001:4860:0000:2001:0000:0000:0000:0068",
                "2001:4860:0:2001::68",
                false,
            ),
            ("fd00:192:168::", "fd00:192:168::", false),
            ("fe80::", "fe80::", false),
            ("ff02::", "ff02::", false),
            ("FFFF:ffff::", "ffff:ffff::", false),
            ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", false),
            ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", false),
            ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8", false),
            ("1::", "1::", false),
            ("1::8", "1::8", false),
            ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304", false),
            ("1::1.2.3.4", "1::102:304", false),
            ("::1.2.3.4", "::102:304", false),
            ("::0.0.0.1", "::1", false),
            ("::0.0.0.0", "::", false),
            ("1:2:3:4:5::1.2.3.4", "1:2:3:4:5:0:102:304", false),
            ("::01.2.3.4", "::102:304", true),
            ("00000000000001::", "1::", true),
            ("0:0:0:0:0:0:0:00001", "::1", true),
        ] {
            let p = ip(s);
            assert_eq!(p.addr, v6(want), "{s}");
            assert!(!p.ipv4_mapped, "{s}");
            assert_eq!(p.leading_zeros, zeros, "{s}");
            assert_eq!(p.family(), IpFamily::V6, "{s}");
        }
    }

    #[test]
    fn ipv4_mapped_is_normalised_to_v4() {
        for (s, want, zeros) in [
            ("::ffff:1.2.3.4", "1.2.3.4", false),
            ("::FFFF:1.2.3.4", "1.2.3.4", false),
            ("::ffff:127.1.2.3", "127.1.2.3", false),
            ("::ffff:127.001.002.003", "127.1.2.3", true),
            ("::ffff:127.007.008.009", "127.7.8.9", true),
            ("::ffff:127.010.020.030", "127.10.20.30", true),
            ("::ffff:7f01:0203", "127.1.2.3", false),
            ("::ffff:102:304", "1.2.3.4", false),
            ("0:0:0:0:0000:ffff:127.1.2.3", "127.1.2.3", false),
            ("0:0:0:0:000000:ffff:127.1.2.3", "127.1.2.3", true),
            ("0:0:0:0::ffff:127.1.2.3", "127.1.2.3", false),
            ("0:0:0:0:0:ffff:0.0.0.0", "0.0.0.0", false),
            ("::ffff:0:0", "0.0.0.0", false),
        ] {
            let p = ip(s);
            assert_eq!(p.addr, v4(want), "{s}");
            assert!(p.ipv4_mapped, "{s}");
            assert_eq!(p.leading_zeros, zeros, "{s}");
            assert_eq!(p.family(), IpFamily::V4, "{s}");
        }
        // IPv4-compatible (::a.b.c.d) and other ::ffff-looking addresses are IPv6.
        assert_eq!(ip("::1.2.3.4").family(), IpFamily::V6);
        assert_eq!(ip("::fffe:1.2.3.4").family(), IpFamily::V6);
        assert_eq!(ip("1::ffff:1.2.3.4").family(), IpFamily::V6);
        assert_eq!(ip("::ffff:0:1.2.3.4").family(), IpFamily::V6);
    }

    // ----- IP: sloppy rejects -------------------------------------------------------------

    #[test]
    fn ip_rejects() {
        for s in [
            "",
            " ",
            "   ",
            " 1.2.3.4",
            "1.2.3.4 ",
            "1.2.3.4\n",
            "1.2.3.4\0",
            "1.2.3",
            "1.2.3.",
            "1.2.3.4.",
            ".1.2.3.4",
            "1.2.3.4.5",
            "1.2..4",
            "1...",
            "...",
            ".",
            "256.1.1.1",
            "127.0.0.256",
            "1.2.3.1000",
            "99999999999999999999999999999.1.1.1",
            "-0.0.0.0",
            "0.-1.0.0",
            "0.0.-2.0",
            "0.0.0.-3",
            "+1.2.3.4",
            "0x1.2.3.4",
            "1.2.3.0x4",
            "1.2.3.4:80",
            "1.2.3.4/32",
            "1.2.3.4/24",
            "myhost.mydomain",
            "foo.bar",
            "None",
            "abc",
            "localhost",
            "\u{661}.\u{662}.\u{663}.\u{664}",
            "１.2.3.4",
            // IPv6
            ":",
            ":::",
            ":::1",
            "1:::2",
            "123:",
            "1:",
            ":1",
            ":1::",
            "1::2:",
            "1::2::3",
            "::1::",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7:8::",
            "::1:2:3:4:5:6:7:8",
            "1:2:3:4::5:6:7:8",
            "a1:a2:a3:a4::b1:b2:b3:b4",
            "10000::",
            "fffff::",
            "1ffff::",
            "000010000::",
            "g::",
            "::g",
            "1:2:3:4:5:6:7:-8",
            "[::1]",
            "[::1]:80",
            "::1]",
            "fe80::1%eth0",
            "fe80::1%lo0",
            "fe80::1%911",
            "fe80::1%",
            "::1/128",
            "::1 ",
            " ::1",
            "::ffff:1.2.3",
            "::ffff:1.2.3.4.5",
            "::ffff:1.2.3.4:5",
            "::ffff:1.2.3.4::",
            "::ffff:256.2.3.4",
            "::ffff:1a.2.3.4",
            "::ffff:1.2.3.a",
            "::1.2.3.4:5",
            "1.2.3.4::",
            "1:2:3:4:5:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1:2:3:4:5:6::1.2.3.4",
            "::1:2:3:4:5:6:1.2.3.4",
            "1:2.3.4.5",
            "::99999.1.1.1",
        ] {
            assert_eq!(parse_ip_sloppy(s), None, "{s:?}");
        }
    }

    #[test]
    fn long_inputs_are_linear_and_safe() {
        let n = 1 << 20;
        let zeros = "0".repeat(n);
        assert_eq!(ip(&format!("{zeros}1.2.3.4")).addr, v4("1.2.3.4"));
        assert_eq!(ip(&format!("{zeros}1::")).addr, v6("1::"));
        assert_eq!(ip(&format!("::ffff:{zeros}1.2.3.4")).addr, v4("1.2.3.4"));
        assert_eq!(
            cidr(&format!("10.0.0.0/{zeros}8")).prefix_len,
            8,
            "zero-padded prefix"
        );
        for s in [
            "9".repeat(n),
            format!("{}.1.1.1", "9".repeat(n)),
            format!("{}::", "f".repeat(n)),
            ":".repeat(n),
            "::".repeat(n),
            "1:".repeat(n),
            "1.".repeat(n),
            format!("{}1", "1:".repeat(n)),
            format!("1.2.3.4/{}", "9".repeat(n)),
            "/".repeat(n),
        ] {
            assert_eq!(parse_ip_sloppy(&s), None);
            assert_eq!(parse_cidr_sloppy(&s), None);
        }
    }

    // ----- IP: legacy validation ------------------------------------------------------------

    #[test]
    fn legacy_ip_sloppy_and_strict() {
        // (value, sloppy ok, strict detail or None)
        let cases: &[(&str, bool, Option<&str>)] = &[
            ("1.2.3.4", true, None),
            ("10.0.0.1", true, None),
            ("0.0.0.0", true, None),
            ("2001:db8::1", true, None),
            ("2001::1", true, None),
            ("2001:DB8:0:0::1", true, None), // non-canonical IPv6 is fine even when strict
            ("0:0::1", true, None),
            ("0000::1", true, None),
            ("010.1.2.3", true, Some("must not have leading 0s")),
            ("010.001.002.003", true, Some("must not have leading 0s")),
            ("010.000.000.001", true, Some("must not have leading 0s")),
            ("1.2.3.00", true, Some("must not have leading 0s")),
            ("::01.2.3.4", true, Some("must not have leading 0s")),
            ("00001::", true, Some("must not have leading 0s")),
            // Leading zeros win: netip fails, so its Is4In6 is never consulted.
            ("::ffff:01.2.3.4", true, Some("must not have leading 0s")),
            (
                "0:0:0:0:000000:ffff:127.1.2.3",
                true,
                Some("must not have leading 0s"),
            ),
            (
                "::ffff:1.2.3.4",
                true,
                Some("must not be an IPv4-mapped IPv6 address"),
            ),
            (
                "::ffff:102:304",
                true,
                Some("must not be an IPv4-mapped IPv6 address"),
            ),
            ("::1.2.3.4", true, None),
        ];
        let p = path();
        for &(value, sloppy_ok, strict) in cases {
            let loose = validate_legacy_ip(&p, value, false);
            assert_eq!(loose.is_empty(), sloppy_ok, "{value}");
            let strict_errors = validate_legacy_ip(&p, value, true);
            assert_eq!(
                details(&strict_errors),
                strict.into_iter().collect::<Vec<_>>(),
                "{value}"
            );
            for e in &strict_errors {
                assert_eq!(e.kind, ErrorKind::Invalid);
                assert_eq!(e.path, p);
                assert_eq!(e.value.as_deref(), Some(format!("{value:?}").as_str()));
            }
        }
    }

    #[test]
    fn legacy_ip_invalid_message() {
        let p = FieldPath::new(["spec", "clusterIPs"]).index(1);
        for value in [
            "",
            "myhost.mydomain",
            "None",
            "1.2.3.4/32",
            "fe80::1%eth0",
            "1.2.3",
        ] {
            for strict in [false, true] {
                let errors = validate_legacy_ip(&p, value, strict);
                assert_eq!(errors.len(), 1, "{value}");
                let e = &errors[0];
                assert_eq!(e.kind, ErrorKind::Invalid);
                assert_eq!(e.detail, INVALID_IP_DETAIL);
            }
        }
        let errors = validate_legacy_ip(&p, "myhost.mydomain", false);
        assert_eq!(
            errors[0].to_string(),
            "spec.clusterIPs[1]: Invalid value: \"myhost.mydomain\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
        );
    }

    // ----- CIDR: sloppy parse ---------------------------------------------------------------

    #[test]
    fn cidr_accepts() {
        // (value, addr, prefix_len, network, mapped, zeros, host bits)
        let cases: &[(&str, &str, u8, &str, bool, bool, bool)] = &[
            ("1.2.3.0/24", "1.2.3.0", 24, "1.2.3.0", false, false, false),
            ("5.6.0.0/16", "5.6.0.0", 16, "5.6.0.0", false, false, false),
            ("1.2.3.4/24", "1.2.3.4", 24, "1.2.3.0", false, false, true),
            (
                "192.168.1.5/24",
                "192.168.1.5",
                24,
                "192.168.1.0",
                false,
                false,
                true,
            ),
            (
                "192.168.8.7/25",
                "192.168.8.7",
                25,
                "192.168.8.0",
                false,
                false,
                true,
            ),
            ("10.0.0.1/8", "10.0.0.1", 8, "10.0.0.0", false, false, true),
            ("10.0.0.0/8", "10.0.0.0", 8, "10.0.0.0", false, false, false),
            ("010.0.0.0/8", "10.0.0.0", 8, "10.0.0.0", false, true, false),
            ("10.0.0.0/08", "10.0.0.0", 8, "10.0.0.0", false, true, false),
            ("0.0.0.0/0", "0.0.0.0", 0, "0.0.0.0", false, false, false),
            ("0.0.0.0/00", "0.0.0.0", 0, "0.0.0.0", false, true, false),
            ("10.0.0.0/0", "10.0.0.0", 0, "0.0.0.0", false, false, true),
            (
                "135.104.0.1/32",
                "135.104.0.1",
                32,
                "135.104.0.1",
                false,
                false,
                false,
            ),
            (
                "135.104.0.1/24",
                "135.104.0.1",
                24,
                "135.104.0.0",
                false,
                false,
                true,
            ),
            (
                "127.000.000.001/32",
                "127.0.0.1",
                32,
                "127.0.0.1",
                false,
                true,
                false,
            ),
            (
                "169.254.169.254/32",
                "169.254.169.254",
                32,
                "169.254.169.254",
                false,
                false,
                false,
            ),
            (
                "192.168.0.0/16",
                "192.168.0.0",
                16,
                "192.168.0.0",
                false,
                false,
                false,
            ),
            (
                "1.2.3.4/0000000000000000032",
                "1.2.3.4",
                32,
                "1.2.3.4",
                false,
                true,
                false,
            ),
            ("::/0", "::", 0, "::", false, false, false),
            ("::1/128", "::1", 128, "::1", false, false, false),
            (
                "2001:db8::/64",
                "2001:db8::",
                64,
                "2001:db8::",
                false,
                false,
                false,
            ),
            (
                "2001:db8::1/64",
                "2001:db8::1",
                64,
                "2001:db8::",
                false,
                false,
                true,
            ),
            (
                "2001:DB8::/48",
                "2001:db8::",
                48,
                "2001:db8::",
                false,
                false,
                false,
            ),
            (
                "2001:DB8::1/48",
                "2001:db8::1",
                48,
                "2001:db8::",
                false,
                false,
                true,
            ),
            (
                "abcd:2345::/24",
                "abcd:2345::",
                24,
                "abcd:2300::",
                false,
                false,
                true,
            ),
            (
                "abcd:2345::/65",
                "abcd:2345::",
                65,
                "abcd:2345::",
                false,
                false,
                false,
            ),
            (
                "fd00:192:168:3::/64",
                "fd00:192:168:3::",
                64,
                "fd00:192:168:3::",
                false,
                false,
                false,
            ),
            ("fe80::/10", "fe80::", 10, "fe80::", false, false, false),
            ("00001::/16", "1::", 16, "1::", false, true, false),
            ("00001::1/8", "1::1", 8, "::", false, true, true),
            // IPv4-mapped, prefix >= 96: an IPv4 network, prefix relative to 32.
            (
                "::ffff:1.2.3.0/120",
                "1.2.3.0",
                24,
                "1.2.3.0",
                true,
                false,
                false,
            ),
            (
                "::ffff:1.2.3.4/120",
                "1.2.3.4",
                24,
                "1.2.3.0",
                true,
                false,
                true,
            ),
            (
                "::ffff:1.2.3.4/128",
                "1.2.3.4",
                32,
                "1.2.3.4",
                true,
                false,
                false,
            ),
            ("::ffff:0:0/96", "0.0.0.0", 0, "0.0.0.0", true, false, false),
            (
                "::ffff:10.0.0.0/104",
                "10.0.0.0",
                8,
                "10.0.0.0",
                true,
                false,
                false,
            ),
            (
                "::ffff:010.0.0.0/104",
                "10.0.0.0",
                8,
                "10.0.0.0",
                true,
                true,
                false,
            ),
            (
                "::ffff:1.2.3.0/0120",
                "1.2.3.0",
                24,
                "1.2.3.0",
                true,
                true,
                false,
            ),
        ];
        for &(s, addr, prefix, net, mapped, zeros, host) in cases {
            let c = cidr(s);
            let want_addr = IpAddr::from_str(addr).unwrap();
            assert_eq!(c.addr, want_addr, "{s}");
            assert_eq!(c.prefix_len, prefix, "{s}");
            assert_eq!(c.network(), IpAddr::from_str(net).unwrap(), "{s}");
            assert_eq!(c.ipv4_mapped, mapped, "{s}");
            assert_eq!(c.leading_zeros, zeros, "{s}");
            assert_eq!(c.host_bits_set, host, "{s}");
            assert_eq!(c.family(), IpFamily::of(want_addr), "{s}");
        }
    }

    #[test]
    fn cidr_mapped_prefix_below_96_is_an_ipv6_network() {
        let c = cidr("::ffff:1.2.3.4/90");
        assert_eq!(c.addr, v6("::ffff:1.2.3.4"));
        assert_eq!(c.prefix_len, 90);
        assert_eq!(c.written_prefix_len(), 90);
        assert!(c.ipv4_mapped && c.host_bits_set);
        assert_eq!(c.family(), IpFamily::V6);
        assert_eq!(c.network(), v6("::ffc0:0:0"));

        // Prefix out of 128, so /33 is fine for a mapped spelling.
        let c = cidr("::ffff:1.2.3.4/33");
        assert_eq!(c.family(), IpFamily::V6);
        assert_eq!(c.network(), v6("::"));

        let c = cidr("::ffff:0:0/95");
        assert_eq!(c.network(), v6("::fffe:0:0"));
        assert!(!c.contains(v4("1.2.3.4")));
    }

    #[test]
    fn cidr_written_prefix_len() {
        assert_eq!(cidr("1.2.3.0/24").written_prefix_len(), 24);
        assert_eq!(cidr("::ffff:1.2.3.0/120").written_prefix_len(), 120);
        assert_eq!(cidr("::ffff:0:0/96").written_prefix_len(), 96);
        assert_eq!(cidr("2001:db8::/64").written_prefix_len(), 64);
    }

    #[test]
    fn cidr_rejects() {
        for s in [
            "",
            " ",
            "   ",
            "/",
            "/24",
            "1.2.3.4",
            "192.168.5.6",
            "fd00:192:168::",
            "::1",
            "1.2.3.4/",
            "1.2.3.4/33",
            "1.2.3.4/99999999999999999999999999",
            "0.0.0.0/256",
            "::/129",
            "::/1000",
            "192.168.1.1/255.255.255.0",
            "2001:db8::1/-1",
            "2001:db8::1/-0",
            "-0.0.0.0/32",
            "0.-1.0.0/32",
            "0.0.-2.0/32",
            "0.0.0.-3/32",
            "0.0.0.0/-0",
            "1.2.3.0/+24",
            "1.2.3.0/0x18",
            "1.2.3.0/24 ",
            " 1.2.3.0/24",
            "1.2.3.0 /24",
            "1.2.3.0/ 24",
            "1.2.3.4/24/5",
            "1.2.3.4//24",
            "1.2.3.0/24\n",
            "300.0.0.0/8",
            "1.2.3/24",
            "foo.bar",
            "foo.bar/24",
            "myhost.mydomain",
            "fe80::1%eth0/64",
            "fe80::/64%eth0",
            "[::1]/128",
            "[::]/0",
            "::ffff:1.2.3.4/129",
            "1::2::3/64",
            "10000::/16",
            "1.2.3.4/２４",
        ] {
            assert_eq!(parse_cidr_sloppy(s), None, "{s:?}");
        }
    }

    #[test]
    fn legacy_cidr_sloppy_and_strict() {
        let leading = "must not have leading 0s in IP or prefix length";
        let mapped = "must not have an IPv4-mapped IPv6 address";
        let host = "must not have bits set beyond the prefix length";
        let cases: &[(&str, bool, Option<&str>)] = &[
            ("1.2.3.0/24", true, None),
            ("5.6.0.0/16", true, None),
            ("10.0.0.0/8", true, None),
            ("192.168.0.0/16", true, None),
            ("192.168.8.0/24", true, None),
            ("0.0.0.0/0", true, None),
            ("::/0", true, None),
            ("169.254.169.254/32", true, None),
            ("2001:db8::/64", true, None),
            ("2001:DB8::/48", true, None), // non-canonical spelling is fine
            ("fd00:192:168:3::/64", true, None),
            ("fd00:192:168:4::/64", true, None),
            ("1.2.3.4/24", true, Some(host)),
            ("192.168.1.5/24", true, Some(host)),
            ("192.168.8.7/25", true, Some(host)),
            ("10.0.0.1/8", true, Some(host)),
            ("10.0.0.0/0", true, Some(host)),
            ("2001:db8::1/64", true, Some(host)),
            ("10.0.0.0/08", true, Some(leading)),
            ("0.0.0.0/00", true, Some(leading)),
            ("010.0.0.0/8", true, Some(leading)),
            // leading zeros are reported before host bits
            ("010.0.0.1/8", true, Some(leading)),
            ("00001::/16", true, Some(leading)),
            ("::ffff:1.2.3.0/120", true, Some(mapped)),
            // mapped is reported before host bits
            ("::ffff:1.2.3.4/120", true, Some(mapped)),
            ("::ffff:1.2.3.4/90", true, Some(mapped)),
            ("::ffff:01.2.3.0/120", true, Some(leading)),
            ("   ", false, None),
            ("", false, None),
            ("1.2.3.4/33", false, None),
            ("foo.bar", false, None),
            ("192.168.5.6", false, None),
            ("fd00:192:168::", false, None),
        ];
        let p = FieldPath::new(["spec", "LoadBalancerSourceRanges"]).index(0);
        for &(value, sloppy_ok, strict) in cases {
            let loose = validate_legacy_cidr(&p, value, false);
            if sloppy_ok {
                assert!(loose.is_empty(), "{value}");
                let strict_errors = validate_legacy_cidr(&p, value, true);
                assert_eq!(
                    details(&strict_errors),
                    strict.into_iter().collect::<Vec<_>>(),
                    "{value}"
                );
            } else {
                for errors in [loose, validate_legacy_cidr(&p, value, true)] {
                    assert_eq!(details(&errors), vec![INVALID_CIDR_DETAIL], "{value}");
                    assert_eq!(errors[0].kind, ErrorKind::Invalid);
                }
            }
        }
        let errors = validate_legacy_cidr(&p, "1.2.3.4/33", false);
        assert_eq!(
            errors[0].to_string(),
            "spec.LoadBalancerSourceRanges[0]: Invalid value: \"1.2.3.4/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
        );
    }

    // ----- CIDR: contains and strict subset -------------------------------------------------

    #[test]
    fn contains_like_go() {
        let c = cidr("192.168.8.0/24");
        assert!(c.contains(v4("192.168.8.0")));
        assert!(c.contains(v4("192.168.8.255")));
        assert!(!c.contains(v4("192.168.9.0")));
        assert!(
            c.contains(v6("::ffff:192.168.8.7")),
            "mapped counts as IPv4"
        );
        assert!(!c.contains(v6("::192.168.8.7")));

        let all4 = cidr("0.0.0.0/0");
        assert!(all4.contains(v4("1.2.3.4")));
        assert!(!all4.contains(v6("::1")));

        let all6 = cidr("::/0");
        assert!(all6.contains(v6("2001:db8::1")));
        assert!(!all6.contains(v4("1.2.3.4")));
        assert!(
            !all6.contains(v6("::ffff:1.2.3.4")),
            "Go: To4() then length mismatch"
        );

        // ::ffff:0:0/96 is the whole IPv4 space to Go.
        let mapped_all = cidr("::ffff:0:0/96");
        assert!(mapped_all.contains(v4("1.2.3.4")));
        assert!(!mapped_all.contains(v6("::1")));

        let c = cidr("::ffff:1.2.3.0/120");
        assert!(c.contains(v4("1.2.3.200")));
        assert!(!c.contains(v4("1.2.4.0")));

        let c = cidr("2001:db8::/32");
        assert!(c.contains(v6("2001:db8:ffff::1")));
        assert!(!c.contains(v6("2001:db9::")));
    }

    #[test]
    fn strict_subset() {
        let sub = |inner: &str, outer: &str| cidr(inner).is_strict_subset_of(&cidr(outer));
        // Vectors and spec examples.
        assert!(sub("192.168.8.0/24", "192.168.0.0/16"));
        assert!(sub("192.168.9.0/24", "192.168.0.0/16"));
        assert!(!sub("192.168.0.0/24", "192.168.0.0/24"), "equal");
        assert!(!sub("192.168.0.0/16", "192.168.1.0/24"), "wider");
        assert!(!sub("192.168.0.0/24", "10.0.0.0/24"), "outside");
        assert!(!sub("192.168.0.0/24", "10.0.0.0/8"), "outside");
        assert!(sub("169.254.169.254/32", "0.0.0.0/0"));
        assert!(sub("10.0.0.0/24", "10.0.0.0/8"));
        assert!(sub("fd00:192:168:3::/64", "fd00:192:168::/48"));
        assert!(!sub("fd00:192:169::/64", "fd00:192:168::/48"));
        assert!(!sub("2001:db8::/64", "2001:db8::/64"), "equal v6");
        // Host bits with strict off: comparison on masked networks.
        assert!(sub("192.168.8.7/25", "192.168.8.0/24"));
        assert!(sub("192.168.8.200/25", "192.168.8.0/24"));
        assert!(sub("192.168.8.0/25", "192.168.8.9/24"));
        assert!(
            !sub("192.168.8.7/24", "192.168.8.0/24"),
            "equal after masking"
        );
        assert!(!sub("192.168.9.7/25", "192.168.8.0/24"));
        // Other family never.
        assert!(!sub("10.0.0.0/8", "::/0"));
        assert!(!sub("::/64", "0.0.0.0/0"));
        assert!(!sub("::ffff:10.0.0.0/104", "::/0"));
        // Mapped spellings: prefix lengths compared as written, like upstream Mask.Size().
        assert!(sub("::ffff:1.2.3.0/120", "1.2.0.0/16"));
        assert!(sub("::ffff:1.2.3.0/120", "1.2.3.0/24"), "Go: 24 < 120");
        assert!(!sub("1.2.3.0/24", "::ffff:1.2.0.0/112"), "Go: 112 >= 24");
        assert!(sub("::ffff:1.2.3.0/120", "::ffff:1.2.0.0/112"));
        assert!(!sub("::ffff:1.2.3.0/120", "::ffff:1.2.3.0/120"));
        assert!(sub("::ffff:10.0.0.0/104", "::ffff:0:0/96"));
        assert!(!sub("10.0.0.0/8", "::ffff:0:0/96"), "Go: 96 >= 8");
        assert!(
            sub("::ffff:0:0/95", "::/0"),
            "a mapped /95 is an IPv6 network"
        );
    }

    // ----- special IPs ----------------------------------------------------------------------

    const UNSPEC: &str = "unspecified";
    const LOOP: &str = "may not be in the loopback range (127.0.0.0/8, ::1/128)";
    const LL: &str = "may not be in the link-local range (169.254.0.0/16, fe80::/10)";
    const LLM: &str = "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)";

    fn special(value: &str) -> Vec<String> {
        let parsed = ip(value);
        validate_non_special_ip(&path(), value, &parsed)
            .into_iter()
            .map(|e| {
                assert_eq!(e.kind, ErrorKind::Invalid);
                assert_eq!(e.value, Some(format!("{value:?}")));
                if e.detail.starts_with("may not be unspecified") {
                    assert_eq!(e.detail, format!("may not be unspecified ({value})"));
                    UNSPEC.to_owned()
                } else {
                    e.detail
                }
            })
            .collect()
    }

    #[test]
    fn special_ipv4() {
        for (value, want) in [
            ("0.0.0.0", Some(UNSPEC)),
            ("000.0.0.00", Some(UNSPEC)),
            ("127.0.0.1", Some(LOOP)),
            ("127.255.255.255", Some(LOOP)),
            ("127.0.0.0", Some(LOOP)),
            ("0127.0.0.1", Some(LOOP)), // decimal, not octal
            ("169.254.169.254", Some(LL)),
            ("169.254.0.0", Some(LL)),
            ("169.254.255.255", Some(LL)),
            ("224.0.0.1", Some(LLM)),
            ("224.0.0.0", Some(LLM)),
            ("224.0.0.255", Some(LLM)),
            ("1.2.3.4", None),
            ("10.0.0.1", None),
            ("192.168.1.1", None),
            ("0.0.0.1", None),
            ("126.255.255.255", None),
            ("128.0.0.1", None),
            ("169.253.255.255", None),
            ("169.255.0.1", None),
            ("224.0.1.1", None),
            ("224.1.0.0", None),
            ("239.255.255.250", None),
            ("255.255.255.255", None),
            ("010.1.2.3", None),
        ] {
            assert_eq!(
                special(value),
                want.into_iter().collect::<Vec<_>>(),
                "{value}"
            );
        }
    }

    #[test]
    fn special_ipv6() {
        for (value, want) in [
            ("::", Some(UNSPEC)),
            ("0:0::0", Some(UNSPEC)),
            ("0:0:0:0:0:0:0:0", Some(UNSPEC)),
            ("::0.0.0.0", Some(UNSPEC)),
            ("::1", Some(LOOP)),
            ("0:0::1", Some(LOOP)),
            ("::0.0.0.1", Some(LOOP)),
            ("fe80::1", Some(LL)),
            ("FE80::1", Some(LL)),
            ("fe80::", Some(LL)),
            ("febf:ffff::1", Some(LL)),
            ("ff02::1", Some(LLM)),
            ("ff02::", Some(LLM)),
            ("ff12::1", Some(LLM)), // flags nibble ignored
            ("ff32::1:ff00:1", Some(LLM)),
            ("fff2::1", Some(LLM)),
            ("::2", None),
            ("::127.0.0.1", None), // IPv4-compatible, not loopback to Go
            ("::169.254.1.1", None),
            ("fe7f:ffff::1", None),
            ("fec0::1", None),
            ("ff01::1", None),
            ("ff05::1", None),
            ("ff0e::1", None),
            ("ff03::1", None),
            ("2001:db8::1", None),
            ("fd00::1", None),
            ("2001:DB8:0:0::1", None),
        ] {
            assert_eq!(
                special(value),
                want.into_iter().collect::<Vec<_>>(),
                "{value}"
            );
        }
    }

    #[test]
    fn special_ipv4_mapped() {
        for (value, want) in [
            ("::ffff:0.0.0.0", Some(UNSPEC)),
            ("::ffff:0:0", Some(UNSPEC)),
            ("::ffff:127.0.0.1", Some(LOOP)),
            ("::ffff:7f00:1", Some(LOOP)),
            ("::ffff:169.254.1.1", Some(LL)),
            ("::ffff:224.0.0.5", Some(LLM)),
            ("::ffff:1.2.3.4", None),
        ] {
            assert_eq!(
                special(value),
                want.into_iter().collect::<Vec<_>>(),
                "{value}"
            );
        }
    }

    #[test]
    fn special_messages_render() {
        let value = "0.0.0.0";
        let errors = validate_non_special_ip(&path(), value, &ip(value));
        assert_eq!(
            errors[0].to_string(),
            "spec.externalIPs[0]: Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)"
        );
        let value = "::";
        let errors = validate_non_special_ip(&path(), value, &ip(value));
        assert_eq!(errors[0].detail, "may not be unspecified (::)");
        // A ParsedIp built by hand with a mapped V6 address is still classified as IPv4.
        let hand = ParsedIp {
            addr: v6("::ffff:127.0.0.1"),
            ipv4_mapped: true,
            leading_zeros: false,
        };
        assert_eq!(
            details(&validate_non_special_ip(&path(), "x", &hand)),
            vec![LOOP]
        );
    }

    #[test]
    fn family_names() {
        assert_eq!(IpFamily::V4.as_str(), "IPv4");
        assert_eq!(IpFamily::V6.as_str(), "IPv6");
        assert_eq!(ip("::ffff:10.0.0.1").family(), IpFamily::V4);
    }

    // ----- differential checks against Rust's std parser ---------------------------------
    //
    // Rust's std parser accepts exactly netip's (strict) set minus zones: no zero-padded IPv4
    // octets, at most four hex digits per group. So for every string: std accepts it iff the
    // sloppy parser accepts it without `leading_zeros`, and then they agree on the address.

    fn check_against_std(s: &str) {
        let ours = parse_ip_sloppy(s);
        let std = IpAddr::from_str(s).ok();
        match (ours, std) {
            (Some(p), Some(addr)) => {
                assert!(!p.leading_zeros, "{s:?}");
                assert_eq!(p.addr, normalise(addr), "{s:?}");
                let mapped = matches!(addr, IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some());
                assert_eq!(p.ipv4_mapped, mapped, "{s:?}");
            }
            (Some(p), None) => assert!(p.leading_zeros, "{s:?} accepted by us only: {p:?}"),
            (None, Some(addr)) => panic!("{s:?} accepted by std only: {addr}"),
            (None, None) => {}
        }
    }

    fn check_cidr_consistency(s: &str) {
        // A CIDR parses iff its address parses (as IP) and its prefix is in range.
        let ours = parse_cidr_sloppy(s);
        let Some((addr, prefix)) = s.split_once('/') else {
            assert_eq!(ours, None, "{s:?}");
            return;
        };
        let addr_ok = parse_ip_sloppy(addr);
        let max = if parse_v4(addr.as_bytes()).is_some() {
            32
        } else {
            128
        };
        let prefix_ok = !prefix.is_empty()
            && prefix.bytes().all(|b| b.is_ascii_digit())
            && prefix.trim_start_matches('0').len() <= 3
            && prefix.parse::<u32>().is_ok_and(|p| p <= max);
        assert_eq!(ours.is_some(), addr_ok.is_some() && prefix_ok, "{s:?}");
        if let (Some(c), Some(a)) = (ours, addr_ok) {
            assert_eq!(c.ipv4_mapped, a.ipv4_mapped, "{s:?}");
            assert!(c.contains(c.network()), "{s:?}");
            assert!(!c.is_strict_subset_of(&c), "{s:?}");
        }
    }

    #[test]
    fn std_agreement_on_fixed_strings() {
        for s in [
            "1.2.3.4",
            "01.2.3.4",
            "::",
            "::1",
            "::ffff:1.2.3.4",
            "::ffff:01.2.3.4",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            ":::1",
            "1::2::3",
            "00001::",
            "0001::",
            "1:2:3:4:5:6:7::",
            "::1:2:3:4:5:6:7",
            "1:2:3:4:5:6::1.2.3.4",
            "1:2:3:4:5::1.2.3.4",
            "::1.2.3.4",
            "fe80::1%eth0",
        ] {
            check_against_std(s);
        }
    }

    fn piece_string() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "0", "00", "1", "01", "9", "10", "255", "256", "ff", "FFFF", "ffff", "0ffff", "10000",
            "abcd", "g", ":", "::", ".", "1.2.3.4", "01.2.3.4", "::ffff:", "%", "/", " ", "-", "+",
        ]);
        prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

        #[test]
        fn prop_chars_agree_with_std(s in "[0-9a-fA-F:.]{0,40}") {
            check_against_std(&s);
        }

        #[test]
        fn prop_pieces_agree_with_std(s in piece_string()) {
            check_against_std(&s);
        }

        #[test]
        fn prop_structured_v6_agree_with_std(
            groups in prop::collection::vec("[0-9a-f]{1,5}", 0..9),
            gap in prop::option::of(0usize..9),
            tail in prop::option::of("(0|[1-9][0-9]{0,2}|0[0-9]{1,2})(\\.(0|[1-9][0-9]{0,2}|0[0-9]{1,2})){3}"),
        ) {
            let mut parts: Vec<String> = groups;
            if let Some(t) = tail {
                parts.push(t);
            }
            let s = match gap {
                Some(at) if at <= parts.len() => {
                    let (head, rest) = parts.split_at(at);
                    format!("{}::{}", head.join(":"), rest.join(":"))
                }
                _ => parts.join(":"),
            };
            check_against_std(&s);
        }

        #[test]
        fn prop_cidr_consistent(s in "[0-9a-fA-F:./]{0,30}") {
            check_cidr_consistency(&s);
        }

        #[test]
        fn prop_cidr_pieces_consistent(addr in piece_string(), prefix in "[0-9]{0,4}") {
            check_cidr_consistency(&format!("{addr}/{prefix}"));
        }

        #[test]
        fn prop_never_panics(s in "\\PC{0,40}") {
            let _ = parse_ip_sloppy(&s);
            let _ = parse_cidr_sloppy(&s);
        }

        #[test]
        fn prop_v4_subset_matches_ranges(
            a in any::<u32>(), pa in 0u8..=32, b in any::<u32>(), pb in 0u8..=32,
        ) {
            let inner = cidr(&format!("{}/{pa}", Ipv4Addr::from(a)));
            let outer = cidr(&format!("{}/{pb}", Ipv4Addr::from(b)));
            let (ia, ib) = (a & mask32(pa), b & mask32(pb));
            let inside = ia & mask32(pb) == ib;
            prop_assert_eq!(inner.is_strict_subset_of(&outer), inside && pb < pa);
        }
    }
}
